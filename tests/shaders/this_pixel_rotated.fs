/*{
	"DESCRIPTION": "Filter. IMG_THIS_PIXEL(inputImage) only; the vertex shader (this_pixel_rotated.vs) turns the quad a quarter turn counter-clockwise, and as in VVISF the image turns with it: the input's top-right quadrant appears at the top-left, its top-left at the bottom-left.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ]
}*/

void main() {
	gl_FragColor = IMG_THIS_PIXEL(inputImage);
}
