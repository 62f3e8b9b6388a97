/*{
	"DESCRIPTION": "A heavy generator for benchmarks: a ray-marched field of soft-shadowed spheres (64 march steps, 24 shadow steps per pixel).",
	"CREDIT": "isfkit",
	"ISFVSN": "2",
	"CATEGORIES": ["Generator"],
	"INPUTS": [
		{ "NAME": "speed", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 2.0 }
	]
}*/

float scene(vec3 p) {
	vec3 q = p;
	q.xz = mod(q.xz + 2.0, 4.0) - 2.0;
	float spheres = length(q - vec3(0.0, 0.6 + 0.3 * sin(TIME * speed + p.x), 0.0)) - 0.8;
	float ground = p.y + 0.5;
	return min(spheres, ground);
}

vec3 normalAt(vec3 p) {
	vec2 e = vec2(0.001, 0.0);
	return normalize(vec3(scene(p + e.xyy) - scene(p - e.xyy),
	                      scene(p + e.yxy) - scene(p - e.yxy),
	                      scene(p + e.yyx) - scene(p - e.yyx)));
}

float shadow(vec3 ro, vec3 rd) {
	float res = 1.0;
	float t = 0.05;
	for (int i = 0; i < 24; i++) {
		float h = scene(ro + rd * t);
		res = min(res, 8.0 * h / t);
		t += clamp(h, 0.02, 0.5);
	}
	return clamp(res, 0.0, 1.0);
}

void main() {
	vec2 uv = (gl_FragCoord.xy - 0.5 * RENDERSIZE) / RENDERSIZE.y;
	vec3 ro = vec3(TIME * speed, 1.5, -4.0);
	vec3 rd = normalize(vec3(uv, 1.2));
	float t = 0.0;
	for (int i = 0; i < 64; i++) {
		float d = scene(ro + rd * t);
		if (d < 0.001 || t > 40.0) break;
		t += d;
	}
	vec3 col = vec3(0.6, 0.7, 0.9) - rd.y * 0.4;
	if (t < 40.0) {
		vec3 p = ro + rd * t;
		vec3 n = normalAt(p);
		vec3 light = normalize(vec3(0.6, 0.8, -0.4));
		float diff = max(dot(n, light), 0.0) * shadow(p + n * 0.01, light);
		col = vec3(0.9, 0.6, 0.4) * (0.15 + 0.85 * diff);
		col = mix(col, vec3(0.6, 0.7, 0.9), 1.0 - exp(-0.02 * t * t));
	}
	gl_FragColor = vec4(pow(col, vec3(0.4545)), 1.0);
}
