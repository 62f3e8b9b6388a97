varying vec4 cornerColor;

void main() {
	isf_vertShaderInit();
	// A vertex shader has no mip level to choose: GL reads the base level.
	cornerColor = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord) * 0.75 + texture2D(inputImage, vec2(0.5)) * 0.25;
}
