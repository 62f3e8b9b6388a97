varying vec2 myCoord;

void main() {
	isf_vertShaderInit();
	// -1..1 across the output, +y up.
	myCoord = isf_FragNormCoord * 2.0 - 1.0;
}
