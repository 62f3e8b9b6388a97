/*{
	"DESCRIPTION": "Generator. Six vertical stripes of equal width, left to right: 1 TIME: grey fract(TIME) (black at TIME 0, grey 0.5 at TIME 2.5); 2 TIMEDELTA: grey TIMEDELTA * 10 (black on the first frame, 0.33 at 30 fps); 3 FRAMEINDEX: grey (FRAMEINDEX mod 10) / 10 (black on frame 0, 0.3 on frame 3); 4 PASSINDEX: green when PASSINDEX is 0 (it is: one pass), red otherwise; 5 DATE: colour (month / 12, day / 31, seconds since midnight / 86400), all black if the year is before 2000; 6 RENDERSIZE: colour (width / 1024, height / 1024, 0), e.g. (0.25, 0.25, 0) at 256x256.",
	"CREDIT": "isfkit test suite",
	"ISFVSN": "2",
	"CATEGORIES": ["Test"]
}*/

void main() {
	int stripe = int(floor(isf_FragNormCoord.x * 6.0));
	vec3 c;
	if (stripe == 0)
		c = vec3(fract(TIME));
	else if (stripe == 1)
		c = vec3(clamp(TIMEDELTA * 10.0, 0.0, 1.0));
	else if (stripe == 2)
		c = vec3(mod(float(FRAMEINDEX), 10.0) / 10.0);
	else if (stripe == 3)
		c = PASSINDEX == 0 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
	else if (stripe == 4)
		c = DATE.x < 2000.0 ? vec3(0.0) : vec3(DATE.y / 12.0, DATE.z / 31.0, DATE.w / 86400.0);
	else
		c = vec3(RENDERSIZE / 1024.0, 0.0);
	gl_FragColor = vec4(c, 1.0);
}
