//! What can go wrong with a request, as one type that HTTP turns into a status and MCP into
//! a tool error, both with the same JSON body.

use isfkit_render::ErrorKind;
use serde_json::{json, Value};

/// The service's `error.kind` for an engine error of `kind` (the table in docs/errors.md):
/// what the client sent (a file, an input, a size) is `bad_request`, a shader that does not
/// load `invalid_shader`, a frame past its deadline `timeout`, anything else `render_failed`.
pub fn kind_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidShader => "invalid_shader",
        ErrorKind::File | ErrorKind::Input | ErrorKind::Limit => "bad_request",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Gpu | ErrorKind::Released | ErrorKind::Environment | ErrorKind::Internal => {
            "render_failed"
        }
    }
}

/// A request that could not be answered with a result.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    /// A field is missing, of the wrong type or out of range; the body is not JSON.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// A file outside the allowed folder, or file access when none is allowed.
    #[error("{message}")]
    Forbidden { field: String, message: String },
    /// The `Accept` header admits none of the media types the route answers with.
    #[error("the Accept header \"{accept}\" admits none of the types this route answers with ({offered}): send one of them, or */*")]
    NotAcceptable { accept: String, offered: String },
    /// The request body is over the limit.
    #[error("the request body is over the limit of {limit} bytes (--max-body)")]
    TooLarge { limit: usize },
    /// The shader does not parse or compile: `validation` is the validate answer.
    #[error("{}", summary(.validation))]
    InvalidShader { validation: Value },
    /// Every worker is busy and the queue is full.
    #[error(
        "the server is busy: {queued} renders are waiting (--queue); retry in {retry_after} s"
    )]
    Busy { queued: usize, retry_after: u64 },
    /// The render did not finish within its deadline; its worker was killed and replaced.
    #[error("the render did not finish within its deadline of {seconds} s; its worker process was stopped and replaced")]
    Timeout {
        seconds: f64,
        /// Seconds from the worker starting the render to its process being stopped.
        ran_s: f64,
    },
    /// The render failed (GPU error, worker crash).
    #[error("{message}")]
    RenderFailed { message: String },
    /// The server is shutting down.
    #[error("the server is shutting down")]
    ShuttingDown,
}

fn summary(validation: &Value) -> String {
    let errors: Vec<&str> = validation["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!("the shader is invalid: {}", errors.join("; "))
}

impl ServiceError {
    /// A short machine-readable name.
    pub fn kind(&self) -> &'static str {
        match self {
            ServiceError::BadRequest { .. } => "bad_request",
            ServiceError::Forbidden { .. } => "forbidden",
            ServiceError::NotAcceptable { .. } => "not_acceptable",
            ServiceError::TooLarge { .. } => "too_large",
            ServiceError::InvalidShader { .. } => "invalid_shader",
            ServiceError::Busy { .. } => "busy",
            ServiceError::Timeout { .. } => "timeout",
            ServiceError::RenderFailed { .. } => "render_failed",
            ServiceError::ShuttingDown => "shutting_down",
        }
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            ServiceError::BadRequest { .. } => 400,
            ServiceError::Forbidden { .. } => 403,
            ServiceError::NotAcceptable { .. } => 406,
            ServiceError::TooLarge { .. } => 413,
            ServiceError::InvalidShader { .. } => 422,
            ServiceError::Busy { .. } | ServiceError::ShuttingDown => 503,
            ServiceError::Timeout { .. } => 504,
            ServiceError::RenderFailed { .. } => 500,
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ServiceError::BadRequest { field, .. } => field.as_deref(),
            ServiceError::Forbidden { field, .. } => Some(field),
            ServiceError::NotAcceptable { .. } => Some("Accept"),
            ServiceError::TooLarge { .. } => Some("body"),
            _ => None,
        }
    }

    /// The JSON answer: `success: false`, `errors` as strings (as the older server answered),
    /// and `error: {kind, field, message}`; an invalid shader adds the validate answer
    /// (`valid`, `diagnostics`, `warnings`, `shader_info`).
    pub fn to_json(&self) -> Value {
        let mut v = match self {
            ServiceError::InvalidShader { validation } => validation.clone(),
            _ => json!({ "errors": [self.to_string()] }),
        };
        if let Some(o) = v.as_object_mut() {
            o.insert("success".into(), json!(false));
            let mut error =
                json!({ "kind": self.kind(), "field": self.field(), "message": self.to_string() });
            if let ServiceError::Timeout { seconds, ran_s } = self {
                error["deadline_s"] = json!(seconds);
                error["ran_s"] = json!(ran_s);
            }
            o.insert("error".into(), error);
        }
        v
    }
}
