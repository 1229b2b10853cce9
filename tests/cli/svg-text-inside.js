// Loaded into a report by tests/cli/t-report-html.sh: measures the box the
// browser laid out for every text element of every chart against its SVG's
// box, and writes what it found into the page for --dump-dom to show:
// "measured N texts in M charts", then one "CLIPPED ..." line per text that
// crosses an edge (by the pixels it has inside each edge: left right top bottom).
(function () {
	var out = [], n = 0, svgs = document.querySelectorAll('svg');
	for (var i = 0; i < svgs.length; i++) {
		var s = svgs[i].getBoundingClientRect(), texts = svgs[i].querySelectorAll('text');
		for (var k = 0; k < texts.length; k++) {
			var r = texts[k].getBoundingClientRect();
			n++;
			if (r.width <= 0 || r.left < s.left - 0.5 || r.right > s.right + 0.5 ||
			    r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5)
				out.push('CLIPPED ' + (svgs[i].getAttribute('aria-label') || 'chart ' + i) + ': "' +
					 texts[k].textContent + '" ' +
					 [r.left - s.left, s.right - r.right, r.top - s.top, s.bottom - r.bottom]
						 .map(function (x) { return x.toFixed(1); }).join(' '));
		}
	}
	var pre = document.createElement('pre');
	pre.id = 'svg-text-inside';
	pre.textContent = 'measured ' + n + ' texts in ' + svgs.length + ' charts' +
		(out.length ? '\n' + out.join('\n') : '');
	document.body.appendChild(pre);
})();
