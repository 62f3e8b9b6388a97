/*{
	"DESCRIPTION": "Bad: the JSON header is missing a colon after INPUTS; parsing must fail with a positioned error.",
	"ISFVSN": "2",
	"INPUTS" [
		{ "NAME": "amount", "TYPE": "float" }
	]
}*/

void main() {
	gl_FragColor = vec4(amount);
}
