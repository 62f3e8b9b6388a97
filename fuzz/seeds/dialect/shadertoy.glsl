// comment
#define T iTime
float map(vec3 p) { return length(p) - 1.0; }
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(uv, map(vec3(uv, T)), iMouse.z + float(iFrame) + iDate.w + iChannelResolution[0].x);
}
