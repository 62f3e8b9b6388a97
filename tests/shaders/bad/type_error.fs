/*{
	"DESCRIPTION": "Bad: line 7 initialises a float with a vec2; the error must point at line 7 of this file.",
	"ISFVSN": "2"
}*/

void main() {
	float x = vec2(1.0);
	gl_FragColor = vec4(x);
}
