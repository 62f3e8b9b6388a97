/*{
	"DESCRIPTION": "FLOAT target. Pass 0 stores 100 * x in red (values up to 100, far above 1) and 0.001 * y in green (below 8-bit precision) into the FLOAT buffer 'values'; the last pass divides them back. The result looks exactly like gradient.fs: red rising left to right, green rising bottom to top (bottom-left black, bottom-right red, top-left green, top-right yellow). With an 8-bit buffer it would instead be solid red with no green.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"PASSES": [
		{ "TARGET": "values", "FLOAT": true },
		{}
	]
}*/

void main() {
	vec2 uv = isf_FragNormCoord;
	if (PASSINDEX == 0) {
		gl_FragColor = vec4(100.0 * uv.x, 0.001 * uv.y, 0.0, 1.0);
	} else {
		vec4 v = IMG_THIS_PIXEL(values);
		gl_FragColor = vec4(v.r / 100.0, v.g * 1000.0, 0.0, 1.0);
	}
}
