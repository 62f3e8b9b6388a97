/*{
	"DESCRIPTION": "Generator. pow with a negative base: red = -pow(x, 3.0) for x = -isf_FragNormCoord.x (a ramp from 0 at the left to 1 at the right, as a product gives it), green = pow(x, 2.0) (the same ramp squared). Where pow is exp2(y * log2(x)) (Mesa's llvmpipe) a negative base gives NaN, which the framebuffer stores as 0: both channels are black.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

void main() {
	float x = -isf_FragNormCoord.x;
	gl_FragColor = vec4(-pow(x, 3.0), pow(x, 2.0), 0.0, 1.0);
}
