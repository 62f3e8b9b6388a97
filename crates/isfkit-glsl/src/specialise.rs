//! `PASSINDEX` as a pipeline constant. A multi-pass shader is one module whose `main` branches
//! on `PASSINDEX`; read from the uniform block, the branch is decided per pixel, so the driver
//! compiles every pass's code into every pipeline. Each read of the block's `PASSINDEX` becomes
//! a read of the override [`PASS_INDEX_CONSTANT`] instead, which the engine sets per pass when
//! it builds that pass's pipeline: the comparisons fold to constants, and the driver drops the
//! branches of the other passes before it compiles. Measured on lavapipe: a ten-pass shader's
//! first frame went from 10 s to 1 s. The engine still writes `PASSINDEX`
//! into the block, so a read this pass does not see (none known) gives the same value.

use naga::{Block, Expression, Function, Handle, Module, Range, Scalar, Span, Statement, Type};

use crate::layout::UNIFORM_BINDING;
use crate::lower::map_nested_blocks;

/// Name of the override holding the pass index (set for every pipeline of a module that has it).
pub const PASS_INDEX_CONSTANT: &str = "isf_pass_index";

/// Whether `module` reads the pass index through [`PASS_INDEX_CONSTANT`] (so a pipeline built
/// from it must set that constant).
pub fn reads_pass_index_constant(module: &Module) -> bool {
    module
        .overrides
        .iter()
        .any(|(_, o)| o.name.as_deref() == Some(PASS_INDEX_CONSTANT))
}

/// Turns every load of the uniform block's `PASSINDEX` member into the override
/// [`PASS_INDEX_CONSTANT`]; adds the override only when there is such a load.
pub(crate) fn pass_index(module: &mut Module) {
    let Some((block, member)) = pass_index_member(module) else {
        return;
    };
    let is_load = |f: &Function, e: &Expression| match *e {
        Expression::Load { pointer } => match f.expressions[pointer] {
            Expression::AccessIndex { base, index } => {
                index == member
                    && matches!(f.expressions[base], Expression::GlobalVariable(g) if g == block)
            }
            _ => false,
        },
        _ => false,
    };
    let loads_in = |f: &Function| -> Vec<Handle<Expression>> {
        f.expressions
            .iter()
            .filter(|(_, e)| is_load(f, e))
            .map(|(h, _)| h)
            .collect()
    };
    let loads: Vec<Vec<Handle<Expression>>> = module
        .functions
        .iter()
        .map(|(_, f)| loads_in(f))
        .chain(module.entry_points.iter().map(|ep| loads_in(&ep.function)))
        .collect();
    if loads.iter().all(Vec::is_empty) {
        return;
    }
    let ty = module.types.insert(
        Type {
            name: None,
            inner: naga::TypeInner::Scalar(Scalar::I32),
        },
        Span::UNDEFINED,
    );
    let constant = module.overrides.append(
        naga::Override {
            name: Some(PASS_INDEX_CONSTANT.into()),
            id: None,
            ty,
            init: None,
        },
        Span::UNDEFINED,
    );
    let functions = module
        .functions
        .iter_mut()
        .map(|(_, f)| f)
        .chain(module.entry_points.iter_mut().map(|ep| &mut ep.function));
    for (f, loads) in functions.zip(&loads).filter(|(_, l)| !l.is_empty()) {
        for &h in loads {
            f.expressions[h] = Expression::Override(constant);
        }
        // An override is in scope from the function's start: it leaves the `Emit` ranges.
        let body = std::mem::take(&mut f.body);
        f.body = split_emits(body, &f.expressions);
    }
}

/// The global of the ISF uniform block and the index of its `PASSINDEX` member.
fn pass_index_member(module: &Module) -> Option<(Handle<naga::GlobalVariable>, u32)> {
    module.global_variables.iter().find_map(|(h, g)| {
        let binding = g.binding.as_ref()?;
        if binding.group != 0 || binding.binding != UNIFORM_BINDING {
            return None;
        }
        match &module.types[g.ty].inner {
            naga::TypeInner::Struct { members, .. } => members
                .iter()
                .position(|m| m.name.as_deref() == Some("PASSINDEX"))
                .map(|i| (h, i as u32)),
            _ => None,
        }
    })
}

/// `block` with every `Emit` range split around the expressions that are in scope from the
/// start of the function (literals, constants, overrides, ...), at every depth.
fn split_emits(block: Block, expressions: &naga::Arena<Expression>) -> Block {
    let mut out = Block::with_capacity(block.len());
    for (statement, span) in block.span_into_iter() {
        let statement = match statement {
            Statement::Emit(range) => {
                let mut run: Option<(Handle<Expression>, Handle<Expression>)> = None;
                for h in range {
                    if expressions[h].needs_pre_emit() {
                        if let Some((first, last)) = run.take() {
                            out.push(Statement::Emit(Range::new_from_bounds(first, last)), span);
                        }
                    } else {
                        run = Some(run.map_or((h, h), |(first, _)| (first, h)));
                    }
                }
                match run {
                    Some((first, last)) => Statement::Emit(Range::new_from_bounds(first, last)),
                    None => continue,
                }
            }
            other => map_nested_blocks(other, |b| split_emits(b, expressions)),
        };
        out.push(statement, span);
    }
    out
}
