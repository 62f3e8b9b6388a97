/*{
	"DESCRIPTION": "Audio waveform. Black background with a white line 3 pixels thick tracing row 0 (the first channel) of the audio input 'wave' across the width: the sample value 0..1 maps to the height. Silence (samples 0.5) gives a straight horizontal line at mid-height; a sine gives a sine-shaped line.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"],
	"INPUTS": [
		{ "NAME": "wave", "TYPE": "audio" }
	]
}*/

void main() {
	vec2 size = IMG_SIZE(wave);
	float x = isf_FragNormCoord.x * size.x;
	float v = IMG_PIXEL(wave, vec2(x, 0.5)).r;
	float d = abs(gl_FragCoord.y - v * RENDERSIZE.y);
	gl_FragColor = d < 1.5 ? vec4(1.0) : vec4(0.0, 0.0, 0.0, 1.0);
}
