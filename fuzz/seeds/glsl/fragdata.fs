/*{
	"DESCRIPTION": "Old-style output through gl_FragData[0] instead of gl_FragColor, and an unsized array constructor (float[]). Solid cyan (0, 1, 1) over the whole output.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

const float channels[] = float[](0.0, 1.0, 1.0);

void main() {
	float alpha[] = float[](1.0);
	gl_FragData[0] = vec4(channels[0], channels[1], channels[2], alpha[0]);
}
