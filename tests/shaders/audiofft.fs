/*{
	"DESCRIPTION": "Audio FFT bars. The audioFFT input 'spectrum' is split into 16 equal bands across the width; each band is a green bar rising from the bottom to the height of the band's magnitude (0..1, read at the band's centre in row 0), with 2-pixel black gaps between bars. Silence: all black; a pure tone: one tall bar.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [
		{ "NAME": "spectrum", "TYPE": "audioFFT" }
	]
}*/

const float BARS = 16.0;

void main() {
	float band = floor(isf_FragNormCoord.x * BARS);
	float mag = IMG_NORM_PIXEL(spectrum, vec2((band + 0.5) / BARS, 0.5)).r;
	float inBand = fract(isf_FragNormCoord.x * BARS) * RENDERSIZE.x / BARS;
	bool bar = isf_FragNormCoord.y < mag && inBand >= 2.0;
	gl_FragColor = bar ? vec4(0.0, 1.0, 0.0, 1.0) : vec4(0.0, 0.0, 0.0, 1.0);
}
