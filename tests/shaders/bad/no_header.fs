// Bad: a plain GLSL file without the ISF JSON header comment.
void main() {
	gl_FragColor = vec4(1.0, 0.0, 0.0, 1.0);
}
