/*{
	"DESCRIPTION": "IMPORTED image 'checker' (imported_checker.png, an 8x8 pixel checker of white and black squares whose top-left square is red) shown stretched over the whole output with crisp squares: 8x8 squares alternating white and black, with corners: top-left red, top-right black, bottom-left black, bottom-right white. Proves the image is neither flipped nor mirrored.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"IMPORTED": {
		"checker": { "PATH": "imported_checker.png" }
	}
}*/

void main() {
	vec2 size = IMG_SIZE(checker);
	vec2 texel = floor(isf_FragNormCoord * size) + 0.5;
	gl_FragColor = IMG_PIXEL(checker, texel);
}
