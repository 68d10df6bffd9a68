using System.Globalization;
using System.Text;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// A Discuz! X3.5 forum for the peer harness, written here after the real markup (tests/Crawler.Tests/Pages/discuz and
/// what the Discuz! profile reads): a board (forumdisplay, 20 threads a page, rows with author, reply count and last
/// reply) and threads (viewthread, 10 posts a page, each with its author column, floor, time and body), with the
/// page chrome a real page carries (head scripts and styles, toolbar, navigation, search, breadcrumbs, footer), so a
/// page weighs 55–70 KB as real ones do. Served from memory; every page is the same on every request.
/// </summary>
internal sealed class PeerForum(int threads, int pagesPerThread)
{
    public const int ThreadsPerBoardPage = 20;
    public const int PostsPerPage = 10;

    // Exam-forum talk (most of it), some offers: what detection sees on a real board. Written for this harness.
    private static readonly string[] Sentences =
    [
        "今天把物理的电学实验题又过了一遍，滑动变阻器那块总算弄明白了",
        "有没有同学知道今年体育中考的跳绳是按一分钟计数吗",
        "英语听力每天早上听二十分钟，坚持一个月进步挺明显的",
        "数学最后一道压轴题我一般先做第一问，时间够再回头看",
        "志愿填报的时候一定要看清楚学校的往年分数线和招生计划",
        "考场在实验中学，提前一天去看了路线，坐公交大概四十分钟",
        "语文作文素材我是按主题整理的，亲情、成长、家国各准备三个",
        "化学方程式配平有个小窍门，先配氧原子再看氢原子",
        "出售中考各科答案，考前发到手机，需要的加微信详聊",
        "隐形耳机一套，考场专用，包教包会，联系QQ",
        "老师说考前一周不要再做难题了，把错题本翻一遍就行",
        "历史的时间线我画成了一张大表，贴在床头每天看一眼",
    ];

    private readonly string _chromeTop = Chrome(top: true);
    private readonly string _chromeBottom = Chrome(top: false);

    public int Threads => threads;

    public int BoardPages => (threads + ThreadsPerBoardPage - 1) / ThreadsPerBoardPage;

    public int PageCount => BoardPages + (threads * pagesPerThread);

    public int PostCount => threads * pagesPerThread * PostsPerPage;

    public string Page(string? mod, int tid, int page)
    {
        var html = new StringBuilder(72 * 1024);
        html.Append(_chromeTop);
        if (mod == "forumdisplay")
        {
            Board(html, Math.Clamp(page, 1, BoardPages));
        }
        else if (tid >= 1 && tid <= threads)
        {
            Thread(html, tid, Math.Clamp(page, 1, pagesPerThread));
        }

        html.Append(_chromeBottom);
        return html.ToString();
    }

    private void Board(StringBuilder html, int page)
    {
        html.Append("""<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">学生论坛</a> <em>&rsaquo;</em> <a href="forum.php">论坛</a> <em>&rsaquo;</em> <a href="forum-2-1.html">中考交流</a></div></div>""");
        html.Append("""<div class="boardnav"><div id="ct" class="wp cl"><div class="mn"><div class="bm bml pbn"><div class="bm_h cl"><h1 class="xs2"><a href="forum-2-1.html">中考交流</a> <span class="xs1 xw0 i">今日: <strong class="xi1">128</strong><span class="pipe">|</span>主题: <strong class="xi1">8026</strong></span></h1></div></div>""");
        html.Append("""<div id="threadlist" class="tl bm bmw"><div class="bm_c"><form method="post" autocomplete="off" name="moderate" id="moderate" action="forum.php?mod=topicadmin&amp;action=moderate&amp;fid=2&amp;infloat=yes&amp;nopost=yes"><table summary="forum_2" cellspacing="0" cellpadding="0" id="threadlisttableid">""");
        var first = ((page - 1) * ThreadsPerBoardPage) + 1;
        for (var tid = first; tid < first + ThreadsPerBoardPage && tid <= threads; tid++)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <tbody id="normalthread_{tid}"><tr><td class="icn"><a href="forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D{page}" title="有新回复 - 新窗口打开" target="_blank"><img src="static/image/common/folder_new.gif" /></a></td>
                <th class="new"><a href="javascript:;" id="content_{tid}" class="showcontent y" title="更多操作" onclick="CONTENT_TID='{tid}';CONTENT_ID='normalthread_{tid}';showMenu(&#123;'ctrlid':this.id,'menuid':'content_menu'&#125;)"></a>
                <a href="forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D{page}" onclick="atarget(this)" class="s xst">{Title(tid)}</a>
                <span class="tps">&nbsp;...<a href="forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D{page}&amp;page=2">2</a><a href="forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D{page}&amp;page={pagesPerThread}">{pagesPerThread}</a></span></th>
                <td class="by"><cite><a href="home.php?mod=space&amp;uid={tid % 500}" c="1">同学{tid % 500}</a></cite><em><span>2026-5-{1 + (tid % 28)}</span></em></td>
                <td class="num"><a href="forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D{page}" class="xi2">{(pagesPerThread * PostsPerPage) - 1}</a><em>{tid * 7 % 3000}</em></td>
                <td class="by"><cite><a href="home.php?mod=space&amp;username=u{tid % 97}" c="1">u{tid % 97}</a></cite><em><a href="forum.php?mod=redirect&amp;tid={tid}&amp;goto=lastpost#lastpost">2026-6-{1 + (tid % 20)} 21:{tid % 60:00}</a></em></td></tr></tbody>
                """);
        }

        html.Append("</table></form></div></div>");
        Pager(html, page, BoardPages, p => string.Create(CultureInfo.InvariantCulture, $"forum.php?mod=forumdisplay&amp;fid=2&amp;page={p}"));
        html.Append("</div></div></div>");
    }

    private void Thread(StringBuilder html, int tid, int page)
    {
        html.Append(CultureInfo.InvariantCulture, $"""<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">学生论坛</a> <em>&rsaquo;</em> <a href="forum.php">论坛</a> <em>&rsaquo;</em> <a href="forum-2-1.html">中考交流</a> <em>&rsaquo;</em> <a href="forum.php?mod=viewthread&amp;tid={tid}">{Title(tid)}</a></div></div>""");
        html.Append(CultureInfo.InvariantCulture, $"""<div id="ct" class="wp cl"><div id="pgt" class="pgs mbm cl"><div class="pgt"></div><span class="y pgb"><a href="forum.php?mod=forumdisplay&amp;fid=2">返回列表</a></span></div><div id="postlist" class="pl bm"><table cellspacing="0" cellpadding="0"><tr><td class="pls ptn pbn"><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">{tid * 13}</span><span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">{(pagesPerThread * PostsPerPage) - 1}</span></div></td><td class="plc ptm pbn vwthd"><h1 class="ts"><span id="thread_subject">{Title(tid)}</span></h1></td></tr></table>""");
        for (var i = 0; i < PostsPerPage; i++)
        {
            var floor = ((page - 1) * PostsPerPage) + i + 1;
            var pid = (tid * 1000) + floor;
            var uid = (pid * 31) % 2000;
            html.Append(CultureInfo.InvariantCulture, $"""
                <div id="post_{pid}"><table id="pid{pid}" class="plhin" summary="pid{pid}" cellspacing="0" cellpadding="0"><tr>
                <td class="pls" rowspan="2"><div id="favatar{pid}" class="pls favatar"><div class="pi"><div class="authi"><a href="space-uid-{uid}.html" target="_blank" class="xw1">同学{uid}</a></div></div>
                <div><div class="avatar" onmouseover="showauthor(this, 'userinfo{pid}')"><a href="space-uid-{uid}.html" class="avtm" target="_blank"><img src="uc_server/avatar.php?uid={uid}&amp;size=middle" /></a></div></div>
                <div class="tns xg2"><table cellspacing="0" cellpadding="0"><th><p><a href="home.php?mod=space&amp;uid={uid}&amp;do=thread&amp;type=thread&amp;view=me&amp;from=space" class="xi2">{uid % 300}</a></p>主题</th><th><p><a href="home.php?mod=space&amp;uid={uid}&amp;do=thread&amp;type=reply&amp;view=me&amp;from=space" class="xi2">{uid % 1700}</a></p>帖子</th><td><p><a href="home.php?mod=space&amp;uid={uid}&amp;do=profile" class="xi2">{uid * 3 % 9000}</a></p>积分</td></table></div>
                <p><em><a href="home.php?mod=spacecp&amp;ac=usergroup&amp;gid=12" target="_blank">初中生</a></em></p><p><span id="g_up{pid}" onmouseover="display('g_up{pid}_menu');setMenuPosition('g_up{pid}', 'g_up{pid}_menu', '12');"><img src="static/image/common/star_level2.gif" alt="Rank: 2" /></span></p>
                <dl class="pil cl"><dt>积分</dt><dd><a href="home.php?mod=space&amp;uid={uid}&amp;do=profile" target="_blank" class="xi2">{uid * 3 % 9000}</a></dd><dt>在线时间</dt><dd>{uid % 400} 小时</dd><dt>注册时间</dt><dd>2024-9-{1 + (uid % 28)}</dd></dl>
                <ul class="xl xl2 o cl"><li class="pm2"><a href="home.php?mod=spacecp&amp;ac=pm&amp;op=showmsg&amp;handlekey=showmsg_{uid}&amp;touid={uid}&amp;pmid=0&amp;daterange=2&amp;pid={pid}&amp;tid={tid}" onclick="showWindow('sendpm', this.href);return false;" title="发消息" class="xi2">发消息</a></li></ul></div></td>
                <td class="plc"><div class="pi"><strong><a href="forum.php?mod=redirect&amp;goto=findpost&amp;ptid={tid}&amp;pid={pid}" id="postnum{pid}" onclick="setCopy(this.href, '帖子地址复制成功');return false;"><em>{floor}</em><sup>#</sup></a></strong>
                <div class="pti"><div class="pdbt"></div><div class="authi"><img class="authicn vm" id="authicon{pid}" src="static/image/common/online_member.gif" /><em id="authorposton{pid}">发表于 2026-6-{1 + (tid % 20)} {8 + (floor % 12)}:{floor % 60:00}:00</em><span class="pipe">|</span><a href="forum.php?mod=viewthread&amp;tid={tid}&amp;page={page}&amp;authorid={uid}" rel="nofollow">只看该作者</a></div></div></div>
                <div class="pct"><div class="pcb" style="margin-right:0"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{pid}">
                {Sentences[pid % Sentences.Length]}，{Sentences[(pid / 3) % Sentences.Length]}。<br />
                {Sentences[(pid / 7) % Sentences.Length]}。</td></tr></table></div><div id="comment_{pid}" class="cm"></div><div id="post_rate_div_{pid}"></div></div></div></td></tr>
                <tr><td class="plc plm"></td></tr><tr id="_postposition{pid}"></tr><tr><td class="pls"></td><td class="plc" style="overflow:visible;"><div class="po hin"><div class="pob cl"><em><a class="fastre" href="forum.php?mod=post&amp;action=reply&amp;fid=2&amp;tid={tid}&amp;repquote={pid}&amp;extra=page%3D1&amp;page={page}" onclick="showWindow('reply', this.href)">回复</a></em><p><a href="javascript:;" id="mgc_post_{pid}" onmouseover="showMenu(this.id)" class="showmenu">使用道具</a><a href="javascript:;" onclick="showWindow('miscreport{pid}', 'misc.php?mod=report&amp;rtype=post&amp;rid={pid}&amp;tid={tid}&amp;fid=2', 'get', -1);return false;">举报</a></p></div></div></td></tr></table></div>
                """);
        }

        html.Append("</div>");
        Pager(html, page, pagesPerThread, p => string.Create(CultureInfo.InvariantCulture, $"forum.php?mod=viewthread&amp;tid={tid}&amp;extra=page%3D1&amp;page={p}"));
        html.Append("</div>");
    }

    private static void Pager(StringBuilder html, int page, int pages, Func<int, string> link)
    {
        if (pages <= 1)
        {
            return;
        }

        html.Append("""<div class="pgs mtm mbm cl"><div class="pg">""");
        for (var p = Math.Max(1, page - 4); p <= Math.Min(pages, page + 5); p++)
        {
            html.Append(p == page ? string.Create(CultureInfo.InvariantCulture, $"<strong>{p}</strong>") : $"""<a href="{link(p)}">{p.ToString(CultureInfo.InvariantCulture)}</a>""");
        }

        html.Append(CultureInfo.InvariantCulture, $"""<label><input type="text" name="custompage" class="px" size="2" title="输入页码，按回车快速跳转" value="{page}" /><span title="共 {pages} 页"> / {pages} 页</span></label>""");
        if (page < pages)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<a href="{link(page + 1)}" class="nxt">下一页</a>""");
        }

        html.Append("</div></div>");
    }

    private static string Title(int tid) => string.Create(CultureInfo.InvariantCulture, $"{Sentences[tid % Sentences.Length][..12]}（{tid}）");

    private static string Chrome(bool top)
    {
        var html = new StringBuilder();
        if (top)
        {
            html.Append("""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>中考交流 - 学生论坛 - Powered by Discuz!</title><meta name="keywords" content="中考交流" /><meta name="description" content="中考交流 ,学生论坛" /><meta name="generator" content="Discuz! X3.5" /><meta name="author" content="Discuz! Team and Comsenz UI Team" /><meta name="MSSmartTagsPreventParsing" content="True" /><meta http-equiv="MSThemeCompatible" content="Yes" />""");
            for (var i = 0; i < 6; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<link rel="stylesheet" type="text/css" href="data/cache/style_1_common.css?V{i}" />""");
            }

            html.Append("<script type=\"text/javascript\">");
            for (var i = 0; i < 25; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"var STYLEID{i} = '1', STATICURL{i} = 'static/', IMGDIR{i} = 'static/image/common', VERHASH{i} = 'W8t{i}', charset{i} = 'utf-8', discuz_uid{i} = '0', cookiepre{i} = 'x3_2132_', cookiedomain{i} = '', cookiepath{i} = '/', showusercard{i} = '1', attackevasive{i} = '0', disallowfloat{i} = 'newthread', creditnotice{i} = '1|威望|,2|金钱|,3|贡献|', defaultstyle{i} = '', REPORTURL{i} = 'aHR0cDovL2Jicy50ZXN0L2ZvcnVtLnBocA==', SITEURL{i} = 'http://bbs.test/', JSPATH{i} = 'data/cache/';\n");
            }

            html.Append("</script><script src=\"data/cache/common.js?W8t\" type=\"text/javascript\"></script><script src=\"data/cache/forum.js?W8t\" type=\"text/javascript\"></script></head><body id=\"nv_forum\" class=\"pg_forumdisplay\" onkeydown=\"if(event.keyCode==27) return false;\">");
            html.Append("""<div id="append_parent"></div><div id="ajaxwaitid"></div><div id="toptb" class="cl"><div class="wp"><div class="z"><a href="javascript:;" onclick="setHomepage('http://bbs.test/');">设为首页</a><a href="http://bbs.test/" onclick="addFavorite(this.href, '学生论坛');return false;">收藏本站</a></div><div class="y"><a id="switchwidth" href="javascript:;" title="切换到宽版" class="switchwidth">切换到宽版</a></div></div></div>""");
            html.Append("""<div id="hd"><div class="wp"><div class="hdc cl"><h2><a href="./" title="学生论坛"><img src="static/image/common/logo.png" alt="学生论坛" border="0" /></a></h2><div id="um"><p><a href="member.php?mod=register">立即注册</a><span class="pipe">|</span><a href="member.php?mod=logging&amp;action=login">登录</a></p></div></div><div id="nv"><ul>""");
            foreach (var item in new[] { "首页", "论坛", "中考资讯", "学习资料", "志愿填报", "考场经验", "家长交流", "站务公告", "排行榜", "帮助" })
            {
                html.Append(CultureInfo.InvariantCulture, $"""<li><a href="portal.php?mod=list&amp;catid={item.Length}" hidefocus="true" title="{item}">{item}<span>{item}</span></a></li>""");
            }

            html.Append("""</ul></div><div id="scbar" class="cl"><form id="scbar_form" method="post" autocomplete="off" onsubmit="searchFocus($('scbar_txt'))" action="search.php?searchsubmit=yes" target="_blank"><input type="hidden" name="mod" id="scbar_mod" value="search" /><input type="hidden" name="formhash" value="a1b2c3d4" /><table cellspacing="0" cellpadding="0"><tr><td class="scbar_txt_td z"><input type="text" name="srchtxt" id="scbar_txt" value="" autocomplete="off" x-webkit-speech speech /></td><td class="scbar_btn_td z"><button type="submit" name="searchsubmit" id="scbar_btn" sc="1" class="pn pnc" value="true"><strong class="xi2">搜索</strong></button></td></tr></table></form></div></div></div><div id="wp" class="wp">""");
        }
        else
        {
            html.Append("""</div><div id="ft" class="wp cl"><div id="flk" class="y"><p><a href="archiver/">Archiver</a><span class="pipe">|</span><a href="forum.php?mobile=yes">手机版</a><span class="pipe">|</span><a href="forum.php?mod=misc&amp;action=showdarkroom">小黑屋</a><span class="pipe">|</span><strong><a href="http://bbs.test/" target="_blank">学生论坛</a></strong></p><p class="xs0">GMT+8, 2026-6-20 21:30<span id="debuginfo">, Processed in 0.041 second(s), 22 queries.</span></p></div><div id="frt"><p>Powered by <strong><a href="https://www.discuz.vip" target="_blank">Discuz!</a></strong> <em>X3.5</em></p></div></div>""");
            html.Append("<script type=\"text/javascript\">");
            for (var i = 0; i < 20; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"if(typeof showMenu{i} == 'function') {{ _attachEvent(window, 'scroll', function () {{ showTopLink{i}(); }}); checkBlind{i}(); }} else {{ var lazyload{i} = {{ imgs: [], init: function () {{ this.imgs = document.getElementsByTagName('img'); }} }}; }}\n");
            }

            html.Append("</script></body></html>");
        }

        return html.ToString();
    }
}
