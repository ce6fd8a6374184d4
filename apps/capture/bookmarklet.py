"""The bookmarklet: a `javascript:` link that opens /capture/ in a new tab with the current
page's address, title, JSON-LD and meta tags in the URL's fragment.

The fragment never reaches any server (nor the foreign page's), and the new tab is an ordinary
top-level visit to our own origin, so the session cookie comes along; the capture page's script
moves the fragment into its own CSRF-protected form. Nothing is written by the bookmarklet."""

from django.urls import reverse

# Kept well under what Chromium and Firefox accept in a URL (2 MB and more).
MAX_CAPTURE = 400_000

SCRIPT = """(function(){
var q=function(s){return [].slice.call(document.querySelectorAll(s));};
var esc=function(t){return String(t).replace(/&/g,'&amp;')
.replace(/"/g,'&quot;').replace(/</g,'&lt;');};
var src=q('script[type="application/ld+json"]').map(function(e){
return '<script type="application/ld+json">'+e.textContent+'<\\/script>';}).join('');
src+=q('meta[property^="og:"],meta[name^="twitter:"],link[rel=canonical]').map(function(e){
return e.tagName==='LINK'?'<link rel="canonical" href="'+esc(e.href)+'">':
'<meta property="'+esc(e.getAttribute('property')||e.getAttribute('name'))
+'" content="'+esc(e.content)+'">';}).join('');
var d={url:location.href,title:document.title,source:src.slice(0,MAX)};
window.open('TARGET#'+encodeURIComponent(JSON.stringify(d)),'_blank');
})();"""


def bookmarklet_href(request) -> str:
    target = request.build_absolute_uri(reverse("capture:start"))
    code = SCRIPT.replace("TARGET", target).replace("MAX", str(MAX_CAPTURE))
    return "javascript:" + "".join(line.strip() for line in code.splitlines())
