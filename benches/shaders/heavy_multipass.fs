/*{
    "DESCRIPTION": "A heavy multi-pass generator for measuring first frames: ten persistent float passes with long bodies (loops with texture reads, ray marching, many helper functions), each reading the passes before it",
    "CREDIT": "isfkit benchmark",
    "ISFVSN": "2",
    "CATEGORIES": ["Generator"],
    "INPUTS": [
        {"NAME": "speed", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 4.0},
        {"NAME": "detail", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [0.9, 0.6, 0.3, 1.0]}
    ],
    "PASSES": [
        {"TARGET": "noiseField", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "blurH", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "blurV", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "marchA", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "marchB", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "normals", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "lighting", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "feedback", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "bloom", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "grade", "PERSISTENT": true, "FLOAT": true},
        {}
    ]
}*/

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

vec2 hash22(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * vec3(0.1031, 0.1030, 0.0973));
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.xx + p3.yz) * p3.zy);
}

float valueNoise(vec2 p) {
    vec2 i = floor(p);
    vec2 f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    return mix(mix(hash12(i), hash12(i + vec2(1.0, 0.0)), u.x),
               mix(hash12(i + vec2(0.0, 1.0)), hash12(i + vec2(1.0, 1.0)), u.x), u.y);
}

float fbm(vec2 p) {
    float v = 0.0;
    float a = 0.5;
    mat2 r = mat2(0.8, 0.6, -0.6, 0.8);
    for (int i = 0; i < 7; i++) {
        v += a * valueNoise(p);
        p = r * p * 2.03 + 0.17;
        a *= 0.5;
    }
    return v;
}

float voronoi(vec2 p) {
    vec2 n = floor(p);
    vec2 f = fract(p);
    float md = 8.0;
    for (int j = -1; j <= 1; j++) {
        for (int i = -1; i <= 1; i++) {
            vec2 g = vec2(float(i), float(j));
            vec2 o = hash22(n + g);
            o = 0.5 + 0.5 * sin(TIME * speed + 6.2831 * o);
            vec2 r = g + o - f;
            md = min(md, dot(r, r));
        }
    }
    return sqrt(md);
}

mat2 rot(float a) {
    float c = cos(a), s = sin(a);
    return mat2(c, s, -s, c);
}

float sdBox(vec3 p, vec3 b) {
    vec3 q = abs(p) - b;
    return length(max(q, 0.0)) + min(max(q.x, max(q.y, q.z)), 0.0);
}

float sdTorus(vec3 p, vec2 t) {
    vec2 q = vec2(length(p.xz) - t.x, p.y);
    return length(q) - t.y;
}

float smin(float a, float b, float k) {
    float h = clamp(0.5 + 0.5 * (b - a) / k, 0.0, 1.0);
    return mix(b, a, h) - k * h * (1.0 - h);
}

float scene(vec3 p) {
    vec3 q = p;
    q.xz *= rot(TIME * 0.3 * speed);
    q.xy *= rot(0.4);
    float d = sdTorus(q, vec2(1.0, 0.3));
    d = smin(d, sdBox(q - vec3(0.0, 0.6, 0.0), vec3(0.35)), 0.3);
    d = smin(d, length(p - vec3(sin(TIME), 0.0, cos(TIME))) - 0.4, 0.4);
    d += 0.05 * valueNoise(p.xy * 6.0 + TIME) * detail;
    return min(d, p.y + 1.2);
}

vec3 sceneNormal(vec3 p) {
    vec2 e = vec2(0.001, 0.0);
    return normalize(vec3(scene(p + e.xyy) - scene(p - e.xyy),
                          scene(p + e.yxy) - scene(p - e.yxy),
                          scene(p + e.yyx) - scene(p - e.yyx)));
}

float march(vec3 ro, vec3 rd, float maxd) {
    float t = 0.0;
    for (int i = 0; i < 96; i++) {
        float d = scene(ro + rd * t);
        if (d < 0.001 || t > maxd) break;
        t += d * 0.9;
    }
    return t;
}

float softShadow(vec3 ro, vec3 rd) {
    float res = 1.0;
    float t = 0.02;
    for (int i = 0; i < 32; i++) {
        float h = scene(ro + rd * t);
        res = min(res, 8.0 * h / t);
        t += clamp(h, 0.02, 0.2);
        if (res < 0.001 || t > 6.0) break;
    }
    return clamp(res, 0.0, 1.0);
}

float ambientOcclusion(vec3 p, vec3 n) {
    float occ = 0.0;
    float w = 1.0;
    for (int i = 1; i <= 6; i++) {
        float h = 0.03 * float(i);
        occ += w * (h - scene(p + n * h));
        w *= 0.7;
    }
    return clamp(1.0 - 3.0 * occ, 0.0, 1.0);
}

vec4 blur(sampler2D src, vec2 uv, vec2 dir) {
    vec4 acc = vec4(0.0);
    float wsum = 0.0;
    for (int i = -12; i <= 12; i++) {
        float w = exp(-float(i * i) / 50.0);
        acc += w * IMG_NORM_PIXEL(src, uv + dir * float(i) / RENDERSIZE);
        wsum += w;
    }
    return acc / wsum;
}

vec3 camRay(vec2 uv) {
    vec2 p = (uv * 2.0 - 1.0) * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
    return normalize(vec3(p, -1.6));
}

vec3 aces(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec3 ro = vec3(0.0, 0.3, 4.0);
    if (PASSINDEX == 0) {
        float n = fbm(uv * 6.0 + TIME * 0.1 * speed);
        float v = voronoi(uv * 10.0);
        gl_FragColor = vec4(n, v, fbm(uv * 3.0 - n), 1.0);
    } else if (PASSINDEX == 1) {
        gl_FragColor = blur(noiseField, uv, vec2(1.0, 0.0));
    } else if (PASSINDEX == 2) {
        gl_FragColor = blur(blurH, uv, vec2(0.0, 1.0));
    } else if (PASSINDEX == 3) {
        vec3 rd = camRay(uv);
        float t = march(ro, rd, 12.0);
        gl_FragColor = vec4(t, rd);
    } else if (PASSINDEX == 4) {
        vec4 a = IMG_NORM_PIXEL(marchA, uv);
        vec3 rd = a.yzw;
        vec3 p = ro + rd * a.x;
        float t2 = march(p + vec3(0.0, 0.01, 0.0), reflect(rd, sceneNormal(p)), 6.0);
        gl_FragColor = vec4(a.x, t2, softShadow(p, normalize(vec3(0.6, 0.8, 0.3))), 1.0);
    } else if (PASSINDEX == 5) {
        vec4 a = IMG_NORM_PIXEL(marchA, uv);
        vec3 p = ro + a.yzw * a.x;
        vec3 n = sceneNormal(p);
        gl_FragColor = vec4(n * 0.5 + 0.5, ambientOcclusion(p, n));
    } else if (PASSINDEX == 6) {
        vec4 a = IMG_NORM_PIXEL(marchA, uv);
        vec4 b = IMG_NORM_PIXEL(marchB, uv);
        vec4 nn = IMG_NORM_PIXEL(normals, uv);
        vec3 n = nn.xyz * 2.0 - 1.0;
        vec3 l = normalize(vec3(0.6, 0.8, 0.3));
        float dif = max(dot(n, l), 0.0) * b.z;
        float spe = pow(max(dot(reflect(-l, n), -a.yzw), 0.0), 24.0);
        vec3 col = tint.rgb * dif + vec3(spe) + 0.2 * nn.w * IMG_NORM_PIXEL(blurV, uv).rgb;
        col = mix(col, vec3(0.6, 0.7, 0.9), 1.0 - exp(-0.02 * a.x * a.x));
        gl_FragColor = vec4(col, 1.0);
    } else if (PASSINDEX == 7) {
        vec2 off = (uv - 0.5) * 0.98 + 0.5;
        vec4 prev = IMG_NORM_PIXEL(feedback, off);
        vec4 cur = IMG_NORM_PIXEL(lighting, uv);
        gl_FragColor = mix(cur, prev, 0.85 * detail);
    } else if (PASSINDEX == 8) {
        vec4 acc = vec4(0.0);
        for (int i = 0; i < 16; i++) {
            float a = float(i) * 2.399;
            vec2 o = vec2(cos(a), sin(a)) * sqrt(float(i)) * 2.0 / RENDERSIZE;
            vec4 c = IMG_NORM_PIXEL(feedback, uv + o);
            acc += max(c - 0.7, 0.0);
        }
        gl_FragColor = acc / 16.0;
    } else if (PASSINDEX == 9) {
        vec3 col = IMG_NORM_PIXEL(feedback, uv).rgb + IMG_NORM_PIXEL(bloom, uv).rgb * 2.0;
        col = aces(col);
        col = pow(col, vec3(1.0 / 2.2));
        col *= 0.5 + 0.5 * pow(16.0 * uv.x * uv.y * (1.0 - uv.x) * (1.0 - uv.y), 0.2);
        gl_FragColor = vec4(col, 1.0);
    } else {
        gl_FragColor = IMG_NORM_PIXEL(grade, uv);
    }
}
