/*{
	"DESCRIPTION": "Transition. An even cross-fade mix(startImage, endImage, progress): at progress 0 exactly startImage, at 1 exactly endImage, at the default 0.5 the average of the two (a red start and a blue end give (0.5, 0, 0.5)).",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test", "Transition"],
	"INPUTS": [
		{ "NAME": "startImage", "TYPE": "image" },
		{ "NAME": "endImage", "TYPE": "image" },
		{ "NAME": "progress", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.5 }
	]
}*/

void main() {
	vec4 a = IMG_NORM_PIXEL(startImage, isf_FragNormCoord);
	vec4 b = IMG_NORM_PIXEL(endImage, isf_FragNormCoord);
	gl_FragColor = mix(a, b, progress);
}
