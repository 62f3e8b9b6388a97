//! Lowering of naga modules parsed from GLSL into forms every naga back end takes, with the
//! meaning GLSL gives them. Runs on the module the GLSL front end returns, before validation.
//!
//! - **Pointer arguments that are parts of a variable.** GLSL passes an `out`/`inout`
//!   argument by copying it in at the call and out at the return, whatever the argument is:
//!   `f(p.x)`, `f(a[i])`, `f(s.field)`. naga's front end passes a pointer to the part, which
//!   SPIR-V's logical addressing does not allow (naga's SPIR-V writer panicked on it). Each
//!   such argument becomes a local variable, stored before the call and written back after.
//! - **Functions in call order.** A function declared by a prototype and defined after a
//!   function that calls it is appended to the module after its caller; naga's validator
//!   wants every callee before its callers. The functions are reordered, callees first (GLSL
//!   has no recursion, so the order exists).

use naga::{
    Block, Expression, Function, Handle, LocalVariable, Module, Range, Statement, TypeInner,
};

/// Applies every lowering to `module`.
pub(crate) fn lower(module: &mut Module) {
    order_functions(module);
    spill_pointer_arguments(module);
}

/// For each function (by handle index), per parameter: the pointee type when the parameter is
/// a pointer (an `out` or `inout` parameter).
fn pointer_parameters(module: &Module) -> Vec<Vec<Option<Handle<naga::Type>>>> {
    module
        .functions
        .iter()
        .map(|(_, f)| {
            f.arguments
                .iter()
                .map(|a| match module.types[a.ty].inner {
                    TypeInner::Pointer { base, .. } => Some(base),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

fn spill_pointer_arguments(module: &mut Module) {
    let params = pointer_parameters(module);
    let mut spilled = 0usize;
    for (_, f) in module.functions.iter_mut() {
        spill_in_function(f, &params, &mut spilled);
    }
    for ep in module.entry_points.iter_mut() {
        spill_in_function(&mut ep.function, &params, &mut spilled);
    }
}

fn spill_in_function(
    f: &mut Function,
    params: &[Vec<Option<Handle<naga::Type>>>],
    spilled: &mut usize,
) {
    let body = std::mem::take(&mut f.body);
    f.body = spill_block(body, f, params, spilled);
}

/// Whether `e` points into a part of a variable (not at a whole variable or a parameter).
fn is_part_pointer(f: &Function, e: Handle<Expression>) -> bool {
    matches!(
        f.expressions[e],
        Expression::Access { .. } | Expression::AccessIndex { .. }
    )
}

fn spill_block(
    block: Block,
    f: &mut Function,
    params: &[Vec<Option<Handle<naga::Type>>>],
    spilled: &mut usize,
) -> Block {
    let mut out = Block::with_capacity(block.len());
    for (stmt, span) in block.span_into_iter() {
        let stmt = match stmt {
            Statement::Call {
                function,
                mut arguments,
                result,
            } => {
                let mut write_back = Vec::new();
                let kinds = params.get(function.index());
                for (k, arg) in arguments.iter_mut().enumerate() {
                    let Some(ty) = kinds.and_then(|p| p.get(k).copied().flatten()) else {
                        continue;
                    };
                    if !is_part_pointer(f, *arg) {
                        continue;
                    }
                    *spilled += 1;
                    let local = f.local_variables.append(
                        LocalVariable {
                            name: Some(format!("isf_arg{spilled}")),
                            ty,
                            init: None,
                        },
                        span,
                    );
                    let local_ptr = f.expressions.append(Expression::LocalVariable(local), span);
                    // Copy in (also for `out`: GLSL leaves its value undefined).
                    let value = f
                        .expressions
                        .append(Expression::Load { pointer: *arg }, span);
                    out.push(Statement::Emit(Range::new_from_bounds(value, value)), span);
                    out.push(
                        Statement::Store {
                            pointer: local_ptr,
                            value,
                        },
                        span,
                    );
                    write_back.push((*arg, local_ptr));
                    *arg = local_ptr;
                }
                out.push(
                    Statement::Call {
                        function,
                        arguments,
                        result,
                    },
                    span,
                );
                // Copy out, to the place the argument named when the call began.
                for (place, local_ptr) in write_back {
                    let value = f
                        .expressions
                        .append(Expression::Load { pointer: local_ptr }, span);
                    out.push(Statement::Emit(Range::new_from_bounds(value, value)), span);
                    out.push(
                        Statement::Store {
                            pointer: place,
                            value,
                        },
                        span,
                    );
                }
                continue;
            }
            other => map_nested_blocks(other, |b| spill_block(b, f, params, spilled)),
        };
        out.push(stmt, span);
    }
    out
}

/// `statement` with each block it holds (a block's, an `if`'s two, a `switch`'s cases, a
/// loop's body and continuing) replaced by `map` of it, in order.
pub(crate) fn map_nested_blocks(
    statement: Statement,
    mut map: impl FnMut(Block) -> Block,
) -> Statement {
    match statement {
        Statement::Block(b) => Statement::Block(map(b)),
        Statement::If {
            condition,
            accept,
            reject,
        } => Statement::If {
            condition,
            accept: map(accept),
            reject: map(reject),
        },
        Statement::Switch { selector, cases } => Statement::Switch {
            selector,
            cases: cases
                .into_iter()
                .map(|c| naga::SwitchCase {
                    body: map(c.body),
                    ..c
                })
                .collect(),
        },
        Statement::Loop {
            body,
            continuing,
            break_if,
        } => Statement::Loop {
            body: map(body),
            continuing: map(continuing),
            break_if,
        },
        other => other,
    }
}

/// Calls `visit` on the function of every `Call` statement in `block`, nested blocks
/// included, in order.
fn each_call(block: &mut Block, visit: &mut impl FnMut(&mut Handle<Function>)) {
    for stmt in block.iter_mut() {
        match stmt {
            Statement::Block(b) => each_call(b, visit),
            Statement::If { accept, reject, .. } => {
                each_call(accept, visit);
                each_call(reject, visit);
            }
            Statement::Switch { cases, .. } => {
                for c in cases {
                    each_call(&mut c.body, visit);
                }
            }
            Statement::Loop {
                body, continuing, ..
            } => {
                each_call(body, visit);
                each_call(continuing, visit);
            }
            Statement::Call { function, .. } => visit(function),
            _ => {}
        }
    }
}

/// The functions `block` calls, in order of first appearance.
fn callees(block: &mut Block) -> Vec<Handle<Function>> {
    let mut into = Vec::new();
    each_call(block, &mut |function| {
        if !into.contains(function) {
            into.push(*function);
        }
    });
    into
}

fn remap_calls(block: &mut Block, map: &[Handle<Function>]) {
    each_call(block, &mut |function| *function = map[function.index()]);
}

fn remap_function(f: &mut Function, map: &[Handle<Function>]) {
    for (_, e) in f.expressions.iter_mut() {
        if let Expression::CallResult(function) = e {
            *function = map[function.index()];
        }
    }
    remap_calls(&mut f.body, map);
}

/// Reorders `module.functions` so that every function comes after the functions it calls.
/// Leaves the module alone when it is already in order, or when the calls form a cycle
/// (recursion, which GLSL forbids: the validator reports it).
fn order_functions(module: &mut Module) {
    let n = module.functions.len();
    let calls: Vec<Vec<Handle<Function>>> = module
        .functions
        .iter_mut()
        .map(|(_, f)| callees(&mut f.body))
        .collect();
    let in_order = calls
        .iter()
        .enumerate()
        .all(|(i, c)| c.iter().all(|h| h.index() < i));
    if in_order {
        return;
    }
    // Depth-first, callees first; `state`: 0 unseen, 1 on the stack, 2 placed.
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    fn visit(
        i: usize,
        calls: &[Vec<Handle<Function>>],
        state: &mut [u8],
        order: &mut Vec<usize>,
    ) -> bool {
        match state[i] {
            2 => return true,
            1 => return false,
            _ => {}
        }
        state[i] = 1;
        for c in &calls[i] {
            if !visit(c.index(), calls, state, order) {
                return false;
            }
        }
        state[i] = 2;
        order.push(i);
        true
    }
    for i in 0..n {
        if !visit(i, &calls, &mut state, &mut order) {
            return;
        }
    }
    let mut old: Vec<Option<(Function, naga::Span)>> = module
        .functions
        .drain()
        .map(|(_, f, span)| Some((f, span)))
        .collect();
    let mut arena = naga::Arena::new();
    let mut map = vec![None; n];
    for &i in &order {
        let (f, span) = old[i].take().expect("each function placed once");
        map[i] = Some(arena.append(f, span));
    }
    let map: Vec<Handle<Function>> = map
        .into_iter()
        .map(|h| h.expect("every function placed"))
        .collect();
    for (_, f) in arena.iter_mut() {
        remap_function(f, &map);
    }
    module.functions = arena;
    for ep in module.entry_points.iter_mut() {
        remap_function(&mut ep.function, &map);
    }
}
