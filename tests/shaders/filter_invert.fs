/*{
	"DESCRIPTION": "Filter. The input image with its colours inverted (rgb -> 1 - rgb, alpha kept), same orientation, read with IMG_THIS_PIXEL.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test", "Filter"],
	"INPUTS": [
		{ "NAME": "inputImage", "TYPE": "image" }
	]
}*/

void main() {
	vec4 c = IMG_THIS_PIXEL(inputImage);
	gl_FragColor = vec4(1.0 - c.rgb, c.a);
}
