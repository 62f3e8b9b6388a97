/*{
	"DESCRIPTION": "PERSISTENT FLOAT buffer 'accum': each frame pass 0 adds 0.1 to its red channel (it reads its own previous content). After N rendered frames (FRAMEINDEX = N - 1) the left half is solid red at level min(0.1 * N, 1) and the right half solid green at the same level (the value expected from FRAMEINDEX): 0.1 after the first frame, 0.5 after 5 frames, full from 10 frames on. Left and right must match in brightness.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"PASSES": [
		{ "TARGET": "accum", "PERSISTENT": true, "FLOAT": true },
		{}
	]
}*/

void main() {
	if (PASSINDEX == 0) {
		vec4 prev = IMG_THIS_PIXEL(accum);
		gl_FragColor = vec4(prev.r + 0.1, 0.0, 0.0, 1.0);
	} else {
		float have = min(IMG_THIS_PIXEL(accum).r, 1.0);
		float want = min(0.1 * float(FRAMEINDEX + 1), 1.0);
		if (isf_FragNormCoord.x < 0.5)
			gl_FragColor = vec4(have, 0.0, 0.0, 1.0);
		else
			gl_FragColor = vec4(0.0, want, 0.0, 1.0);
	}
}
