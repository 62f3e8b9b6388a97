/*{
	"DESCRIPTION": "Animated plasma with a persistent feedback trail: the example isfkit renders on setup.",
	"CREDIT": "isfkit",
	"ISFVSN": "2",
	"CATEGORIES": ["Generator"],
	"INPUTS": [
		{ "NAME": "speed", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 4.0 },
		{ "NAME": "scale", "TYPE": "float", "DEFAULT": 6.0, "MIN": 1.0, "MAX": 20.0 },
		{ "NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.2, 1.0] },
		{ "NAME": "trail", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 0.95 }
	],
	"PASSES": [
		{ "TARGET": "feedback", "PERSISTENT": true },
		{}
	]
}*/

float plasma(vec2 p, float t) {
	float v = sin(p.x + t);
	v += sin((p.y + t) * 0.5);
	v += sin((p.x + p.y + t) * 0.5);
	p += vec2(sin(t / 3.0), cos(t / 2.0)) * 2.0;
	v += sin(sqrt(p.x * p.x + p.y * p.y + 1.0) + t);
	return v * 0.5;
}

void main() {
	vec2 uv = isf_FragNormCoord;
	vec2 p = (uv - 0.5) * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0) * scale;
	float t = TIME * speed;
	if (PASSINDEX == 0) {
		float v = plasma(p, t);
		vec3 col = 0.5 + 0.5 * cos(3.14159 * v + vec3(0.0, 2.0, 4.0));
		col *= tint.rgb;
		vec4 prev = IMG_THIS_PIXEL(feedback);
		gl_FragColor = vec4(mix(col, prev.rgb, trail * step(0.5, float(FRAMEINDEX))), 1.0);
	} else {
		gl_FragColor = IMG_THIS_NORM_PIXEL(feedback);
	}
}
