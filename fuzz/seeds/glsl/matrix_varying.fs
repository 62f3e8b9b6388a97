/*{
	"DESCRIPTION": "Custom vertex shader (matrix_varying.vs) passing a mat2 varying (a quarter-turn rotation, which the rewriter splits into column varyings) and a float[2] varying after it. The fragment shader rotates the gradient of gradient.fs about the centre: red = 1 - y (full at the bottom, none at the top), green = x (rising left to right), blue a constant 0.5 from levels[1]. Corners: bottom-left (1, 0, 0.5) pink-red, bottom-right (1, 1, 0.5) light yellow, top-left (0, 0, 0.5) dark blue, top-right (0, 1, 0.5) green-cyan.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

varying mat2 rot;
varying float levels[2];

void main() {
	vec2 p = rot * (isf_FragNormCoord - 0.5) + 0.5;
	gl_FragColor = vec4(p.x, p.y, levels[1] + levels[0], 1.0);
}
