/*{
	"DESCRIPTION": "Real-world quirks the rewriter must handle. Square output recommended. Four solid quadrants: top-left purple (0.25, 0, 0.75) read back from pass target 'buf' through a local also named buf; top-right yellow (chosen by a switch); bottom-left green (a float-counter loop summing to 1); bottom-right white (from the #if __VERSION__ block). A black round disc of radius 0.2 * height sits in the centre (round at any aspect ratio: it uses the global 'ratio' initialised from RENDERSIZE; if global initialisers were dropped it would be a vertical band instead).",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [
		{ "NAME": "r", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.25 }
	],
	"PASSES": [
		{ "TARGET": "buf" },
		{}
	]
}*/

#ifdef GL_ES
precision highp float;
#endif

#if __VERSION__ <= 120
#define BRIGHT 1.0
#else
#define BRIGHT 0.0
#ENDIF

// Non-constant global initialisers: naga would silently leave these at 0.
float ratio = RENDERSIZE.x / RENDERSIZE.y;
float halfW = RENDERSIZE.x * 0.5, halfH = RENDERSIZE.y / 2.0;
float wide = RENDERSIZE.x > RENDERSIZE.y ? 1.0 : 0.0;
// An unsized array (naga needs the size).
float steps[] = float[](0.25, 0.5);

uniform float r;

#define SAMPLE_BUF(p) texture2D(buf, (p))

// `return 0;` in a float function.
float isLeft(vec2 p) {
	if (p.x < halfW)
		return 1;
	return 0;
}

// No final return (the rewriter adds one). Note: return values in comments are left alone.
float isTop(float y) {
	if (y >= halfH) {
		return 1.0f;
	}
	// return 2.0;
}

vec3 pick(int k) {
	vec3 c = vec3(0.0);
	switch (k) {
	case 0:
		c = vec3(1.0, 1.0, 0.0);
		break;
	default:
		c = vec3(0.5);
		break;
	}
	return c;
}

void main() {
	if (PASSINDEX == 0) {
		// `r` is an input; `.r` swizzles elsewhere must stay swizzles.
		vec4 col = vec4(r, 0.0, 1.0f - r, 1.0);
		col.r = r;
		gl_FragColor = col;
		return;
	}
	vec2 c = gl_FragCoord.xy;
	float left = isLeft(c);
	float top = isTop(c.y);
	vec3 color;
	if (top > 0.5 && left > 0.5) {
		vec4 buf = IMG_PIXEL(buf, c);
		vec4 again = SAMPLE_BUF(c / RENDERSIZE);
		color = vec3(buf.r, buf.g, again.b);
	} else if (top > 0.5) {
		color = pick(0);
	} else if (left > 0.5) {
		float sum = 0.0;
		for (float f = 0.0; f < 4.0; f += 1.0)
			sum += steps[0];
		color = vec3(0.0, sum, 0.0);
	} else {
		color = vec3(BRIGHT);
	}
	vec2 p = isf_FragNormCoord - 0.5;
	p.x *= ratio;
	if (length(p) < 0.2)
		color = vec3(0.0);
	color *= 1.0 + wide * 0.0;
	gl_FragColor = vec4(color, 1.0);
}
