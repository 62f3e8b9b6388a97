/*{
	"DESCRIPTION": "Filter. The input image mirrored left-right (the input's left edge appears at the right), not flipped vertically. The top half is read with IMG_PIXEL in the input's own pixel coordinates (scaled by IMG_SIZE / RENDERSIZE, so it also works when the input size differs from the render size), the bottom half with IMG_NORM_PIXEL: the two halves must join with no visible seam or offset at mid-height.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test", "Filter"],
	"INPUTS": [
		{ "NAME": "inputImage", "TYPE": "image" }
	]
}*/

void main() {
	vec2 size = IMG_SIZE(inputImage);
	if (gl_FragCoord.y >= RENDERSIZE.y * 0.5) {
		// Pixel coordinates of the input; the argument has nested parentheses and commas.
		vec2 px = gl_FragCoord.xy * (size / RENDERSIZE);
		gl_FragColor = IMG_PIXEL(inputImage, vec2(size.x - px.x, px.y));
	} else {
		vec2 n = isf_FragNormCoord;
		gl_FragColor = IMG_NORM_PIXEL(inputImage, vec2(1.0 - n.x, n.y));
	}
}
