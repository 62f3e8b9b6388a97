/*{
	"DESCRIPTION": "Generator with its own vertex shader (custom_vertex.vs), which calls isf_vertShaderInit() and writes the extra varying myCoord (-1..1, +y up). Red rises from 0 at the centre line to 1 at the right edge (black on the left half); green rises from 0 at mid-height to 1 at the top (none on the bottom half); full blue is added inside a centred ellipse reaching a quarter of the width to each side and a quarter of the height up and down (a circle on a square output). So: bottom-left quadrant black, top-right quadrant red-green-yellow, blue in the middle.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

varying vec2 myCoord;

void main() {
	float disc = length(myCoord) < 0.5 ? 1.0 : 0.0;
	gl_FragColor = vec4(max(myCoord.x, 0.0), max(myCoord.y, 0.0), disc, 1.0);
}
