//! `isf mcp`: the Model Context Protocol face (rmcp), over stdio or streamable HTTP.
//!
//! Tools named and shaped as isf-shader-renderer's MCP server (`render_shader`,
//! `validate_shader`, `get_shader_info`), so an agent configured for it keeps working, with
//! richer answers; resources (`isf://examples/NAME`, `isf://reference`); one prompt
//! (`write_isf_shader`).

use std::sync::Arc;
use std::time::Instant;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, GetPromptRequestParams,
    GetPromptResponse, GetPromptResult, Implementation, ListPromptsResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, Prompt, PromptArgument, PromptMessage,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, Role, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{json, Value};

use crate::service::Service;

mod examples {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

/// The ISF authoring reference served as `isf://reference`.
pub const REFERENCE: &str = include_str!("reference.md");

/// Every resource: URI, name, description, MIME type, text.
pub fn resources() -> Vec<(String, String, String, &'static str, &'static str)> {
    let mut out = vec![(
        "isf://reference".to_owned(),
        "reference".to_owned(),
        "ISF authoring reference: header keys, input types, passes, built-in uniforms and functions, isfkit's notes. Read it before writing a shader.".to_owned(),
        "text/markdown",
        REFERENCE,
    )];
    for (name, text) in examples::EXAMPLES {
        out.push((
            format!("isf://examples/{name}"),
            (*name).to_owned(),
            format!("Example ISF shader bundled with isfkit: {name}"),
            "text/plain",
            text,
        ));
    }
    out
}

fn schema(v: Value) -> Arc<serde_json::Map<String, Value>> {
    match v {
        Value::Object(m) => Arc::new(m),
        _ => Arc::new(serde_json::Map::new()),
    }
}

fn source_properties() -> Value {
    json!({
        "shader_content": { "type": "string", "description": "The ISF shader's text (the .fs file: JSON header comment, then GLSL)." },
        "shader_path": { "type": "string", "description": "A .fs file under the server's --allow-dir folder, instead of shader_content." },
        "vertex_content": { "type": "string", "description": "Optional custom vertex shader (.vs text)." }
    })
}

/// The tools, with their JSON Schemas.
pub fn tools() -> Vec<Tool> {
    let mut render_props = source_properties();
    if let Some(o) = render_props.as_object_mut() {
        for (k, v) in [
            (
                "time_codes",
                json!({ "type": "array", "items": { "type": "number" }, "description": "Times in seconds to render, one frame each (default [0]; at most 10).", "default": [0.0] }),
            ),
            (
                "width",
                json!({ "type": "integer", "minimum": 1, "maximum": 4096, "default": 1920 }),
            ),
            (
                "height",
                json!({ "type": "integer", "minimum": 1, "maximum": 4096, "default": 1080 }),
            ),
            (
                "quality",
                json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 95, "description": "JPEG quality." }),
            ),
            (
                "format",
                json!({ "type": "string", "enum": ["jpeg", "png"], "default": "jpeg" }),
            ),
            (
                "inputs",
                json!({ "type": "object", "description": "Input values by name: numbers, booleans, [x, y], [r, g, b, a], or a long's label.", "additionalProperties": true }),
            ),
            (
                "images",
                json!({ "type": "object", "description": "Image inputs by name: base64 PNG or JPEG.", "additionalProperties": { "type": "string" } }),
            ),
            (
                "fps",
                json!({ "type": "number", "default": 30, "description": "Frame rate of the frames a stateful shader renders before a requested time." }),
            ),
            (
                "deadline",
                json!({ "type": "number", "description": "Seconds the render may take (default 10, capped by the server)." }),
            ),
        ] {
            o.insert(k.into(), v);
        }
    }
    vec![
        Tool::new(
            "render_shader",
            "Render an ISF shader to images at the given time codes. Answers each frame as an image, plus metadata (per-frame render ms, size, backend) and the shader's info; a shader that does not compile answers its diagnostics (line, column, stage, message).",
            schema(json!({ "type": "object", "properties": render_props })),
        ),
        Tool::new(
            "validate_shader",
            "Check an ISF shader without rendering (parse, translate, compile both stages). Answers valid, diagnostics {line, column, stage, severity, message} at the shader's own lines, errors and warnings as strings, and the shader's info.",
            schema(json!({ "type": "object", "properties": source_properties() })),
        ),
        Tool::new(
            "get_shader_info",
            "Describe an ISF shader: inputs (types, defaults, ranges), passes, imported images, kind (generator, filter, transition), what it uses (persistent buffers, FRAMEINDEX, ...).",
            schema(json!({ "type": "object", "properties": source_properties() })),
        ),
    ]
}

/// The MCP server: a handle on the shared [`Service`].
#[derive(Clone)]
pub struct IsfMcp {
    pub svc: Arc<Service>,
}

fn text_result(v: &Value, is_error: bool) -> CallToolResult {
    let mut r = if is_error {
        CallToolResult::error(vec![ContentBlock::text(v.to_string())])
    } else {
        CallToolResult::success(vec![ContentBlock::text(v.to_string())])
    };
    r.structured_content = Some(v.clone());
    r
}

impl IsfMcp {
    /// Runs one tool; errors of the request or the render are tool errors (the agent reads
    /// them), never protocol errors.
    pub async fn call(&self, name: &str, args: Value) -> Result<CallToolResult, ErrorData> {
        let started = Instant::now();
        let route = format!("mcp:{name}");
        let result = match name {
            "validate_shader" => {
                let r = self.svc.validate(args).await;
                self.svc.record(&route, started, &r);
                r.map(|v| text_result(&v, false))
            }
            "get_shader_info" => {
                let r = self.svc.info(args).await;
                self.svc.record(&route, started, &r);
                r.map(|v| text_result(&v, false))
            }
            "render_shader" => {
                let r = self.svc.render(args).await;
                self.svc.record(&route, started, &r);
                r.map(|rendered| {
                    let mut content = vec![ContentBlock::text(rendered.summary.to_string())];
                    for f in &rendered.output.frames {
                        content.push(ContentBlock::image(f.data.clone(), f.mime.clone()));
                    }
                    let mut r = CallToolResult::success(content);
                    r.structured_content = Some(rendered.summary);
                    r
                })
            }
            other => {
                return Err(ErrorData::invalid_params(
                    format!(
                        "unknown tool \"{other}\" (tools: render_shader, validate_shader, get_shader_info)"
                    ),
                    None,
                ))
            }
        };
        Ok(result.unwrap_or_else(|e| text_result(&e.to_json(), true)))
    }
}

impl ServerHandler for IsfMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_prompts()
                .enable_resources()
                .enable_tools()
                .build(),
        )
        .with_server_info(
            Implementation::new("isfkit", env!("CARGO_PKG_VERSION"))
                .with_title("isfkit ISF shader renderer"),
        )
        .with_instructions(
            "Tools to validate, inspect and render ISF (Interactive Shader Format) shaders. Read the resource isf://reference before writing a shader; validate_shader reports errors at your shader's own lines; render_shader returns the frames as images.",
        )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.map_or(Value::Null, Value::Object);
        self.call(&request.name, args).await.map(Into::into)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let items = resources()
            .into_iter()
            .map(|(uri, name, description, mime, text)| {
                Resource::new(uri, name)
                    .with_description(description)
                    .with_mime_type(mime)
                    .with_size(text.len() as u64)
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(items))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let all = resources();
        match all.iter().find(|r| r.0 == request.uri) {
            Some((uri, _, _, mime, text)) => Ok(ReadResourceResult::new(vec![
                ResourceContents::text(*text, uri.clone()).with_mime_type(*mime),
            ])
            .into()),
            None => {
                let uris: Vec<&str> = all.iter().map(|r| r.0.as_str()).collect();
                Err(ErrorData::resource_not_found(
                    format!(
                        "no resource {} (resources: {})",
                        request.uri,
                        uris.join(", ")
                    ),
                    None,
                ))
            }
        }
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(vec![Prompt::new(
            "write_isf_shader",
            Some("Write an ISF shader of a given kind (generator, filter or transition), validate it and render it."),
            Some(vec![
                PromptArgument::new("kind")
                    .with_description("generator, filter or transition")
                    .with_required(true),
                PromptArgument::new("description")
                    .with_description("What the shader should show")
                    .with_required(true),
            ]),
        )]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        if request.name != "write_isf_shader" {
            return Err(ErrorData::invalid_params(
                format!("no prompt \"{}\" (prompts: write_isf_shader)", request.name),
                None,
            ));
        }
        let arg = |k: &str| {
            request
                .arguments
                .as_ref()
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let kind = arg("kind").unwrap_or_else(|| "generator".into());
        if !["generator", "filter", "transition"].contains(&kind.as_str()) {
            return Err(ErrorData::invalid_params(
                format!("kind must be generator, filter or transition, not \"{kind}\""),
                None,
            ));
        }
        let description = arg("description").unwrap_or_else(|| "an animated pattern".into());
        let needs = match kind.as_str() {
            "filter" => " It must declare an image input named inputImage and process it.",
            "transition" => " It must declare image inputs startImage and endImage and a float input progress (0..1), and blend from one to the other.",
            _ => "",
        };
        let text = format!(
            "Write an ISF {kind} shader (ISFVSN 2) that shows: {description}.{needs} \
             First read the resource isf://reference. Then call validate_shader with the shader \
             and fix every diagnostic at the line and column it names until valid is true. \
             Then call render_shader with time_codes [0, 1, 2], width 512 and height 288 to look \
             at the result, and adjust. Answer with the final shader text."
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description(format!("Write an ISF {kind} shader"))
                .into(),
        )
    }
}
