/*{
	// Hand-written headers often carry comments and trailing commas; both are accepted.
	"DESCRIPTION": "Header with a // comment and trailing commas. The whole output is solid orange (1, 0.5, 0), the DEFAULT of the color input 'fill'.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test",],
	"INPUTS": [
		{ "NAME": "fill", "TYPE": "color", "DEFAULT": [1.0, 0.5, 0.0, 1.0], },
	],
}*/

void main() {
	gl_FragColor = fill;
}
