/*{
	"DESCRIPTION": "Generator. Hash noise of the kind real shaders use for grain: fract(sin(dot(uv, vec2(12.9898, 78.233))) * 43758.5453) in three channels, uv = isf_FragNormCoord * 10 shifted by TIME. One unit in the last place of isf_FragNormCoord changes the grain, so it shows whether interpolation matches desktop GL bit for bit.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

float hash(vec2 p) {
	return fract(sin(dot(p, vec2(12.9898, 78.233))) * 43758.5453);
}

void main() {
	vec2 uv = isf_FragNormCoord * 10.0 + TIME;
	gl_FragColor = vec4(hash(uv), hash(uv + 1.0), hash(uv + 2.0), 1.0);
}
