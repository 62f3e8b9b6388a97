varying mat2 rot;
varying float levels[2];

void main() {
	isf_vertShaderInit();
	// A quarter turn counter-clockwise: (x, y) -> (-y, x).
	rot = mat2(0.0, 1.0, -1.0, 0.0);
	levels[0] = 0.0;
	levels[1] = 0.5;
}
