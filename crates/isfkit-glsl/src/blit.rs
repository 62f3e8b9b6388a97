//! A tiny textured-quad program the engine uses to scale persistent buffers on resize.

const BLIT_VS: &str = "#version 450
layout(location = 0) out vec2 uv;
void main() {
    vec2 quad[6] = vec2[6](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0),
                           vec2(-1.0, 1.0), vec2(1.0, -1.0), vec2(1.0, 1.0));
    vec2 p = quad[gl_VertexIndex % 6];
    uv = p * 0.5 + 0.5;
    gl_Position = vec4(p.x, -p.y, 0.0, 1.0);
}
";

const BLIT_FS: &str = "#version 450
layout(location = 0) in vec2 uv;
layout(location = 0) out vec4 color;
layout(set = 0, binding = 0) uniform sampler s;
layout(set = 0, binding = 1) uniform texture2D t;
void main() { color = texture(sampler2D(t, s), uv); }
";

/// The (vertex, fragment) modules of the blit program. Both are fixed text, checked by a test.
pub fn blit_modules() -> (naga::Module, naga::Module) {
    let parse = |stage, src| {
        naga::front::glsl::Frontend::default()
            .parse(&naga::front::glsl::Options::from(stage), src)
            .expect("the built-in blit shader is valid GLSL")
    };
    (
        parse(naga::ShaderStage::Vertex, BLIT_VS),
        parse(naga::ShaderStage::Fragment, BLIT_FS),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn blit_program_parses_and_validates() {
        let (vs, fs) = super::blit_modules();
        for m in [vs, fs] {
            naga::valid::Validator::new(
                naga::valid::ValidationFlags::all(),
                naga::valid::Capabilities::all(),
            )
            .validate(&m)
            .unwrap();
        }
    }
}
