/*{
	"DESCRIPTION": "Filter that samples its image in the vertex shader (vertex_texture.vs), as VVISF allows: each corner of the quad reads the input at that corner (IMG_NORM_PIXEL) and the colours blend across the output. With the test's quadrant image: bottom-left blue, bottom-right white, top-left red, top-right green, mixed in between; the centre is their average plus texture2D's centre sample (clamped).",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ]
}*/

varying vec4 cornerColor;

void main() {
	gl_FragColor = cornerColor;
}
