/*{
	"DESCRIPTION": "Generator. Four solid quadrants from gl_FragCoord / RENDERSIZE (proves a bottom-left origin): bottom-left red, bottom-right green, top-left blue, top-right white. Any render size.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

void main() {
	vec2 p = gl_FragCoord.xy / RENDERSIZE;
	bool right = p.x >= 0.5;
	bool top = p.y >= 0.5;
	vec3 c;
	if (!top && !right)
		c = vec3(1.0, 0.0, 0.0);
	else if (!top && right)
		c = vec3(0.0, 1.0, 0.0);
	else if (top && !right)
		c = vec3(0.0, 0.0, 1.0);
	else
		c = vec3(1.0);
	gl_FragColor = vec4(c, 1.0);
}
