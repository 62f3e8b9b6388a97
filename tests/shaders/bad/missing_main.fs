/*{
	"DESCRIPTION": "Bad: no main() function.",
	"ISFVSN": "2"
}*/

vec4 shade(vec2 uv) {
	return vec4(uv, 0.0, 1.0);
}
