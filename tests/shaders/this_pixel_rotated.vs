void main() {
	isf_vertShaderInit();
	// A quarter turn counter-clockwise: (x, y) -> (-y, x).
	gl_Position.xy = vec2(-gl_Position.y, gl_Position.x);
}
