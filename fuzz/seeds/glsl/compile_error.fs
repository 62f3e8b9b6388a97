/*{
	"DESCRIPTION": "Bad: line 12 uses an undeclared identifier; the error must point at line 12 of this file.",
	"ISFVSN": "2",
	"INPUTS": [
		{ "NAME": "amount", "TYPE": "float", "DEFAULT": 0.5 }
	]
}*/

void main() {
	vec2 uv = isf_FragNormCoord;
	float a = amount * uv.x;
	float b = brightness * a;
	gl_FragColor = vec4(a, b, 0.0, 1.0);
}
