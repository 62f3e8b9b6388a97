use isfkit_format::IsfDocument;

#[test]
fn smoke() {
    let src = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [
    {"NAME": "inputImage", "TYPE": "image"},
    {"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5},
    {"NAME": "flag", "TYPE": "bool", "DEFAULT": 1},
    {"NAME": "tint", "TYPE": "color", "DEFAULT": [1,0,0,1]}
  ],
  "PASSES": [{"TARGET": "buf", "PERSISTENT": true}, {}]
}*/
float ratio = RENDERSIZE.x / RENDERSIZE.y;
vec4 sampleIt(sampler2D img, vec2 uv) { return texture2D(img, uv); }
float f(float x) { if (x > 0.0) return 1; }
void main() {
    vec4 buf = IMG_PIXEL(buf, gl_FragCoord.xy);
    vec4 c = IMG_NORM_PIXEL(inputImage, vv_FragNormCoord) * amount;
    if (flag) c *= tint;
    gl_FragColor = c + sampleIt(inputImage, isf_FragNormCoord) * ratio + buf * f(TIME) + IMG_THIS_PIXEL(buf);
}
"#;
    let doc = IsfDocument::parse(src).unwrap();
    let t = isfkit_glsl::translate(&doc, None).unwrap();
    println!("{}", t.fragment.glsl);
    println!("{}", t.vertex.glsl);
    match isfkit_glsl::compile(&doc, None) {
        Ok(_) => {}
        Err(e) => panic!("{}", e.render("x.fs", "x.vs")),
    }
}
