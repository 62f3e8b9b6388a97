/*{
	"DESCRIPTION": "Filter. Left half: only the red channel of the input (green and blue zero); right half: the input unchanged. Both halves are read through user functions taking a sampler2D parameter (one passes it on to another), using texture2D inside.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test", "Filter"],
	"INPUTS": [
		{ "NAME": "inputImage", "TYPE": "image" }
	]
}*/

vec4 fetch(sampler2D img, vec2 uv) {
	return texture2D(img, uv);
}

vec4 tinted(in vec3 tint, sampler2D img, vec2 uv) {
	return fetch(img, uv) * vec4(tint, 1.0);
}

void main() {
	vec2 uv = isf_FragNormCoord;
	if (uv.x < 0.5)
		gl_FragColor = tinted(vec3(1.0, 0.0, 0.0), inputImage, uv);
	else
		gl_FragColor = fetch(inputImage, uv);
}
