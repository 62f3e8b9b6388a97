/*{
	"DESCRIPTION": "ISF v1 file (no ISFVSN) with the PERSISTENT_BUFFERS array form and vv_FragNormCoord. Pass 0 adds 0.1 to the green channel of the persistent 8-bit buffer 'trail' each frame. After N frames: green level about min(0.1 * N, 1) everywhere (8-bit rounding may add about 0.01 per frame), blue rising from 0 at the left edge to 1 at the right edge, red 0.",
	"CREDIT": "isfkit test suite",
	"CATEGORIES": ["Test"],
	"PERSISTENT_BUFFERS": ["trail"],
	"PASSES": [
		{ "TARGET": "trail" },
		{}
	]
}*/

void main() {
	if (PASSINDEX == 0) {
		vec4 prev = IMG_THIS_PIXEL(trail);
		gl_FragColor = vec4(0.0, min(prev.g + 0.1, 1.0), 0.0, 1.0);
	} else {
		vec4 t = IMG_NORM_PIXEL(trail, vv_FragNormCoord);
		gl_FragColor = vec4(0.0, t.g, vv_FragNormCoord.x, 1.0);
	}
}
