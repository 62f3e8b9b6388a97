/*{
	"DESCRIPTION": "Warning only: the input 'volume' has the unknown type 'texture3D' and is skipped with a warning; the shader still compiles. Output: solid grey 0.5 (the float input 'level').",
	"ISFVSN": "2",
	"INPUTS": [
		{ "NAME": "volume", "TYPE": "texture3D" },
		{ "NAME": "level", "TYPE": "float", "DEFAULT": 0.5 }
	]
}*/

void main() {
	gl_FragColor = vec4(vec3(level), 1.0);
}
