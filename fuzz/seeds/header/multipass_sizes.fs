/*{
	"DESCRIPTION": "Three passes with different sizes. Pass 0 renders into 'quarter' (floor($WIDTH/4) x floor($HEIGHT/4)) a red ramp from its own gl_FragCoord.x / RENDERSIZE.x; pass 1 renders into 'tiny' ($cells x $cells, 8x8 by default) a one-pixel blue/black checker from its gl_FragCoord; the last pass shows them. Bottom three quarters of the image: left half a smooth red ramp, black at the left edge to full red at the centre line; right half a crisp 8x8 checker of blue and black squares with a blue square at its bottom-left. Top quarter: two size checks, left for 'quarter' and right for 'tiny', each solid green when IMG_SIZE matches the expected size and solid red otherwise.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [
		{ "NAME": "cells", "TYPE": "float", "MIN": 2.0, "MAX": 16.0, "DEFAULT": 8.0 }
	],
	"PASSES": [
		{ "TARGET": "quarter", "WIDTH": "floor($WIDTH/4.0)", "HEIGHT": "floor($HEIGHT/4.0)" },
		{ "TARGET": "tiny", "WIDTH": "$cells", "HEIGHT": "$cells" },
		{}
	]
}*/

void main() {
	if (PASSINDEX == 0) {
		// RENDERSIZE is the size of this pass's target here.
		gl_FragColor = vec4(gl_FragCoord.x / RENDERSIZE.x, 0.0, 0.0, 1.0);
	} else if (PASSINDEX == 1) {
		vec2 cell = floor(gl_FragCoord.xy);
		float on = 1.0 - mod(cell.x + cell.y, 2.0);
		gl_FragColor = vec4(0.0, 0.0, on, 1.0);
	} else {
		vec2 uv = isf_FragNormCoord;
		vec3 c;
		if (uv.y >= 0.75) {
			bool ok;
			if (uv.x < 0.5)
				ok = abs(IMG_SIZE(quarter).x - floor(RENDERSIZE.x / 4.0)) < 0.5
					&& abs(IMG_SIZE(quarter).y - floor(RENDERSIZE.y / 4.0)) < 0.5;
			else
				ok = all(lessThan(abs(IMG_SIZE(tiny) - vec2(cells)), vec2(0.5)));
			c = ok ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
		} else {
			vec2 local = vec2(fract(uv.x * 2.0), uv.y / 0.75);
			if (uv.x < 0.5) {
				c = IMG_NORM_PIXEL(quarter, local).rgb;
			} else {
				// Sample texel centres so the checker stays crisp under LINEAR filtering.
				vec2 texel = floor(local * IMG_SIZE(tiny)) + 0.5;
				c = IMG_PIXEL(tiny, texel).rgb;
			}
		}
		gl_FragColor = vec4(c, 1.0);
	}
}
