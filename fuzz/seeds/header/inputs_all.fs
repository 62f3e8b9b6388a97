/*{
	"DESCRIPTION": "Generator. Seven vertical stripes of equal width, left to right, each showing one input at its DEFAULT: 1 event 'flash' (black when false, white when true); 2 bool 'enabled' (DEFAULT 1: green; red when false); 3 long 'mode' with VALUES/LABELS (DEFAULT 2: blue; 0 red, 1 green); 4 long 'level' MIN 0 MAX 4 (DEFAULT 2: grey level/4 = 0.5); 5 float 'amount' (DEFAULT 0.25: grey 0.25); 6 point2D 'spot' (DEFAULT [0.75, 0.25]: colour (0.75, 0.25, 0)); 7 color 'tint' (DEFAULT [0, 0.5, 1, 1]: sky blue). Thin black lines separate the stripes.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [
		{ "NAME": "flash", "TYPE": "event" },
		{ "NAME": "enabled", "TYPE": "bool", "DEFAULT": 1 },
		{ "NAME": "mode", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["Red", "Green", "Blue"], "DEFAULT": 2 },
		{ "NAME": "level", "TYPE": "long", "MIN": 0, "MAX": 4, "DEFAULT": 2 },
		{ "NAME": "amount", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.25 },
		{ "NAME": "spot", "TYPE": "point2D", "MIN": [0.0, 0.0], "MAX": [1.0, 1.0], "DEFAULT": [0.75, 0.25] },
		{ "NAME": "tint", "TYPE": "color", "DEFAULT": [0.0, 0.5, 1.0, 1.0] }
	]
}*/

const float STRIPES = 7.0;

void main() {
	float x = isf_FragNormCoord.x * STRIPES;
	int stripe = int(floor(x));
	vec3 c = vec3(0.0);
	if (stripe == 0) {
		c = flash ? vec3(1.0) : vec3(0.0);
	} else if (stripe == 1) {
		c = enabled ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
	} else if (stripe == 2) {
		if (mode == 0)
			c = vec3(1.0, 0.0, 0.0);
		else if (mode == 1)
			c = vec3(0.0, 1.0, 0.0);
		else
			c = vec3(0.0, 0.0, 1.0);
	} else if (stripe == 3) {
		c = vec3(float(level) / 4.0);
	} else if (stripe == 4) {
		c = vec3(amount);
	} else if (stripe == 5) {
		c = vec3(spot, 0.0);
	} else {
		c = tint.rgb;
	}
	// A black line two pixels wide at every stripe boundary.
	float edge = fract(x) * RENDERSIZE.x / STRIPES;
	if (stripe > 0 && edge < 2.0)
		c = vec3(0.0);
	gl_FragColor = vec4(c, 1.0);
}
