/*{
	"DESCRIPTION": "Generator. Red rises from 0 at the left edge to 1 at the right edge (isf_FragNormCoord.x); green rises from 0 at the bottom to 1 at the top (isf_FragNormCoord.y); blue 0. Corners: bottom-left black, bottom-right red, top-left green, top-right yellow.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": []
}*/

void main() {
	gl_FragColor = vec4(isf_FragNormCoord.x, isf_FragNormCoord.y, 0.0, 1.0);
}
