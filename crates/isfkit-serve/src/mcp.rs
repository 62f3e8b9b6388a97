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
use serde_json::Value;

use crate::request;
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

/// The JSON Schema of a tool's arguments, derived from their type (as rmcp's own tool macros
/// derive it: JSON Schema 2020-12, root title and description left out).
fn input_schema<T: schemars::JsonSchema + 'static>() -> Arc<serde_json::Map<String, Value>> {
    rmcp::handler::server::common::schema_for_input::<T>().unwrap_or_default()
}

/// The tools, with their JSON Schemas ([`request::SourceArgs`], [`request::RenderArgs`]).
pub fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "render_shader",
            "Render an ISF shader to images at the given time codes. Answers each frame as an image (PNG, or JPEG when format is jpeg), plus metadata (per-frame render ms, size, backend) and the shader's info; a shader that does not compile answers its diagnostics (line, column, stage, message).",
            input_schema::<request::RenderArgs>(),
        ),
        Tool::new(
            "validate_shader",
            "Check an ISF shader without rendering (parse, translate, compile both stages). Answers valid, diagnostics {line, column, stage, severity, message} at the shader's own lines, errors and warnings as strings, and the shader's info.",
            input_schema::<request::SourceArgs>(),
        ),
        Tool::new(
            "get_shader_info",
            "Describe an ISF shader: inputs (types, defaults, ranges), passes, imported images, kind (generator, filter, transition), what it uses (persistent buffers, FRAMEINDEX, ...).",
            input_schema::<request::SourceArgs>(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tool_schemas_name_each_field_with_its_description_and_default() {
        let tools = tools();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(
            names,
            ["render_shader", "validate_shader", "get_shader_info"]
        );
        let render = Value::Object(tools[0].input_schema.as_ref().clone());
        assert_eq!(render["type"], "object");
        assert_eq!(render["additionalProperties"], false);
        let p = &render["properties"];
        assert_eq!(p["shader_content"]["type"], "string");
        assert_eq!(
            p["shader_content"]["description"],
            "The shader's text: an ISF .fs file (JSON header comment, then GLSL), or Shadertoy code (mainImage, or its JSON), a GLSL Sandbox shader or a gl-transition, read as ISF."
        );
        assert_eq!(
            p["shader_path"]["description"],
            "A .fs file under the server's --allow-dir folder, instead of shader_content."
        );
        assert_eq!(
            p["vertex_content"]["description"],
            "Optional custom vertex shader (.vs text)."
        );
        assert_eq!(p["time_codes"]["type"], "array");
        assert_eq!(p["time_codes"]["items"]["type"], "number");
        assert_eq!(p["time_codes"]["default"], json!([0.0]));
        assert_eq!(
            p["time_codes"]["description"],
            "Times in seconds to render, one frame each (default [0]; at most 10)."
        );
        for (field, min, max, default) in [
            ("width", 1, 4096, 1920),
            ("height", 1, 4096, 1080),
            ("quality", 1, 100, 95),
        ] {
            assert_eq!(p[field]["type"], "integer", "{field}");
            assert_eq!(p[field]["minimum"], min, "{field}");
            assert_eq!(p[field]["maximum"], max, "{field}");
            assert_eq!(p[field]["default"], default, "{field}");
        }
        assert_eq!(p["quality"]["description"], "JPEG quality.");
        assert_eq!(p["format"]["type"], "string");
        assert_eq!(p["format"]["enum"], json!(["png", "jpeg"]));
        assert_eq!(p["format"]["default"], "png");
        assert_eq!(
            p["format"]["description"],
            "Image format of the frames: png (default) or jpeg."
        );
        assert_eq!(p["inputs"]["type"], "object");
        assert_eq!(
            p["inputs"]["description"],
            "Input values by name: numbers, booleans, [x, y], [r, g, b, a], or a long's label; or keys that move a value over the time codes: {\"keys\": [[0, 0.0], [2, 1.0]], \"ease\": \"linear|ease-in|ease-out|ease-in-out\"}."
        );
        assert_eq!(p["images"]["type"], "object");
        assert_eq!(p["images"]["additionalProperties"]["type"], "string");
        assert_eq!(
            p["images"]["description"],
            "Image inputs by name: base64 PNG or JPEG."
        );
        assert_eq!(p["fps"]["type"], "number");
        assert_eq!(p["fps"]["default"], 30.0);
        assert_eq!(
            p["fps"]["description"],
            "Frame rate of the frames a stateful shader renders before a requested time."
        );
        assert_eq!(p["deadline"]["type"], "number");
        assert!(p["deadline"].get("default").is_none());
        assert_eq!(
            p["deadline"]["description"],
            "Seconds the render may take (default 10, capped by the server)."
        );
        assert_eq!(
            p["dialect"]["description"],
            "The shader's dialect: auto (default: detected from the text), shadertoy, glslsandbox or gl-transition."
        );
        assert!(render.get("required").is_none(), "{render}");
        for t in &tools[1..] {
            let v = Value::Object(t.input_schema.as_ref().clone());
            let keys: Vec<&String> = v["properties"].as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                ["dialect", "shader_content", "shader_path", "vertex_content"]
            );
            assert_eq!(v["properties"]["dialect"], p["dialect"]);
            assert_eq!(v["properties"]["shader_content"], p["shader_content"]);
            assert!(v.get("required").is_none(), "{v}");
        }
    }
}
