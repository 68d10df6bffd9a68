"""A minimal Scrapy spider for the peer harness (tests/Benchmarks: `peer`): reads a Discuz! X3 board and its threads
the way ExamNetWatch's Discuz! profile does (thread links a.xst, pager div.pg a.nxt, posts td.t_f#postmessage_PID
with author, floor and time), one item per post. Run by the harness; not part of the product."""
import scrapy


class DiscuzSpider(scrapy.Spider):
    name = "discuz"

    def __init__(self, start=None, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        if response.css("td.t_f[id^='postmessage_']"):
            yield from self.parse_thread(response)
            return
        for href in response.css("a.xst::attr(href)").getall():
            yield response.follow(href, self.parse_thread)
        following = response.css("div.pg a.nxt::attr(href)").get()
        if following:
            yield response.follow(following, self.parse)

    def parse_thread(self, response):
        title = response.css("#thread_subject::text").get()
        for body in response.css("td.t_f[id^='postmessage_']"):
            pid = body.attrib["id"][len("postmessage_"):]
            post = response.css(f"#post_{pid}")
            yield {
                "url": response.url + "#pid" + pid,
                "title": title,
                "author": post.css(".authi a.xw1::text").get(),
                "floor": post.css(f"#postnum{pid} em::text").get(),
                "published": post.css(f"#authorposton{pid}::text").get(),
                "text": " ".join(t.strip() for t in body.css("::text").getall() if t.strip()),
            }
        following = response.css("div.pg a.nxt::attr(href)").get()
        if following:
            yield response.follow(following, self.parse_thread)
