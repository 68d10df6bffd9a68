#!/usr/bin/env python3
"""Builds indexer/DevSet/devset.jsonl: the labelled development set of ExamNetWatch detection.

Every base post below was written by hand for this project (none is copied from the internet; ids, numbers and
names are invented). Must-alert posts are then rewritten with the evasions of the domain brief (one evasion per
variant, applied by the functions below), so every evasion class is represented; hard negatives are written to
cover every negative context. Run: python3 indexer/DevSet/generate.py  (deterministic; the output is committed).
"""
import json, random, os

random.seed(20260620)

# ---- must-alert base posts: (category, text) ------------------------------------------------------------
OFFERS = [
    ("paper_leak", "出售2026年中考各科答案，考前一天发到手机，保过，加微信 zk2026da 私聊"),
    ("paper_leak", "中考数学密卷，提前拿到试卷，先考后付，vx: mijuan2026"),
    ("paper_leak", "考前答案、短信答案都有，有需要的进群，QQ群 56789123"),
    ("paper_leak", "今年中考答案已到手，价格优惠，诚信第一，联系电话 13912345678"),
    ("paper_leak", "提供中考真题答案，考前发送，不准不要钱，加我QQ 2873341190"),
    ("paper_leak", "中考英语考中答案，开考后二十分钟发到手机，先考后付，加微信 yydaan2026"),
    ("paper_leak", "高价收中考试卷答案，有渠道的私信，薇 shoujuan88"),
    ("paper_leak", "中考物理原题泄题了，有需要的私聊，保真，QQ 3345678901"),
    ("paper_leak", "出一份中考答案包，各科都有，考前三天发，加v daanbao2026"),
    ("paper_leak", "答案包批发，中考高考都有，代理价优惠，联系我 vx: pifa_da"),
    ("paper_leak", "考后付款！中考答案考前给你，不满意不收钱，威信 houfu2026"),
    ("paper_leak", "漏题资料出售，今年中考语文作文题已出，加QQ 1234509876"),
    ("paper_leak", "考试答案团购，三人成团更便宜，有需要的加微信 tuangou26"),
    ("paper_leak", "求购今年中考数学试卷答案，价格好说，私聊 qq 5566778899"),
    ("paper_leak", "谁有中考答案？急求，可以出钱，加我微信 jiqiu2026"),
    ("device", "隐形耳机、米粒耳机大量现货，防屏蔽，考试专用，批发零售，QQ 2873341190"),
    ("device", "作弊器出售，全国包邮，加薇 ks_helper88"),
    ("device", "橡皮接收器、尺子接收器现货供应，货到付款，电话 13912345678"),
    ("device", "无线纽扣摄像头、针孔摄像头加感应线圈，整套作弊设备，包邮，qq 1234567890"),
    ("device", "骨传导耳机，防屏蔽，考试专用，包教包会，有需要的私信，薇 gcd-ear-2026"),
    ("device", "作弊手表，能看文字能收答案，考场不被发现，价格私聊 V: shoubiao66"),
    ("device", "笔式接收器加米粒耳机套装，考前发货，支持货到付款，联系 15800001111"),
    ("device", "反屏蔽信号发射器，考场实测可用，批发价，加QQ 9988776655"),
    ("device", "眼镜摄像头出售，拍题传题一步到位，有需要的加微信 yanjing_cam"),
    ("device", "数据笔现货，考试神器，能存题库，私信看头像，QQ 3311224455"),
    ("device", "钱包接收器、手表接收器都有，老客户优惠，微信 jieshouqi8"),
    ("device", "哪里有卖隐形耳机的？中考要用，急，加我QQ 1357924680"),
    ("device", "想买作弊器材，中考用，有的私聊，vx: xiangmai26"),
    ("device", "感应线圈配米粒耳机，考试作弊神器，防屏蔽，代理招募，威信 xianquan99"),
    ("device", "作弊设备全套出租，中考考完归还，押金可谈，电话 13700001234"),
    ("proxy_taker", "专业代考、替考，各科都有枪手，价格私聊，V: dkvip2026"),
    ("proxy_taker", "名校大学生替考、代考，身份证照片处理，保过，联系电话 15800001111"),
    ("proxy_taker", "承接中考代考业务，包过，不过退款，加QQ 2468013579"),
    ("proxy_taker", "招募枪手，代考一科一千，考前培训，微信 qiangshou26"),
    ("proxy_taker", "助考团队，中考高考成考都做，保证通过，vx: zhukao_team"),
    ("proxy_taker", "替人考试，经验丰富，价格公道，有需要的私信我 qq 1122334455"),
    ("proxy_taker", "代考中考英语，保过，先付一半定金，联系我 vx: dkyy2026"),
    ("in_exam_transmission", "考场传答案，考试期间实时传送答案，保真，加v zkcs2026"),
    ("in_exam_transmission", "考场发题，谁会第一大题？答案发群里，QQ群 77889900"),
    ("in_exam_transmission", "正在考试中求答案！第3题选什么，谁会"),
    ("in_exam_transmission", "拍题传卷一条龙，考中二十分钟出答案，加微信 paiti2026"),
    ("in_exam_transmission", "第12题选什么？在考场，急，谁会发我"),
    ("in_exam_transmission", "在考场了，第5小题答案是什么，求好心人"),
    ("in_exam_transmission", "考试期间传送答案，耳机接收，收费合理，威信 chuansong88"),
    ("paper_leak", "中考答案 出售，ＱＱ２８７３３４１１９１ 私聊"),
    ("device", "米粒耳机到货，考试专用，防屏蔽，数量有限，加微信 mili2026"),
    ("paper_leak", "押题卷加真题答案，考前一天发，保过，私聊 qq 4455667788"),
    ("device", "信号发射器加隐形耳机，考场专用，先考后付，联系 13600005678"),
    ("proxy_taker", "枪手代考，中考各科都接，先考后付，加v qiangdai26"),
    ("paper_leak", "密卷出售，中考数学物理化学全科，考前发，诚信，微信 mijuan_all"),
    ("device", "作弊工具套装，耳机加接收器，包教会，价格私聊，QQ 6677889900"),
]

# ---- hard negatives: (context, text) -----------------------------------------------------------------
NEGATIVES = [
    ("official_notice", "市教育考试院关于2026年中考考务工作的通知：考试期间严禁携带手机、智能手表、耳机等电子设备及作弊器材进入考场，一经发现按违规处理。"),
    ("official_notice", "考生须知：请提前30分钟到达考点，严禁携带任何作弊工具，违者取消考试成绩，情节严重的依法追究法律责任。"),
    ("official_notice", "各考点要加强无线电监测，配合公安部门严厉打击利用作弊器材组织考试作弊的行为。"),
    ("official_notice", "通知：中考期间考点周边将开展无线电信号监测，严禁使用作弊设备，请考生诚信应考。"),
    ("official_notice", "关于开展中考考务安全隐患排查的通知，重点排查试卷保管保密、听力设备检测等环节。"),
    ("official_notice", "考场规则第七条：考生不得携带隐形耳机、接收器等作弊器材，违者依法处理。"),
    ("official_notice", "教育局提醒：考前网上出现的所谓中考答案均为虚假信息，试卷严格保密，请勿轻信。"),
    ("official_notice", "考务人员须知：发现考生使用作弊器材的，应立即收缴并如实记录，报考区处理。"),
    ("crackdown_news", "据报道，警方抓获一个利用隐形耳机组织考试作弊的团伙，查处作弊设备一批。"),
    ("crackdown_news", "公安机关破获一起中考作弊案，抓获犯罪嫌疑人5名，缴获作弊器材30余套。"),
    ("crackdown_news", "新闻：某地警方依法查处一起代考案件，涉案枪手已被刑事拘留。"),
    ("crackdown_news", "无线电管理部门在考点周边查获一台信号发射器，相关人员已移交公安。"),
    ("crackdown_news", "警方提醒，组织考试作弊属于犯罪行为，网上出售中考答案的多为诈骗。"),
    ("crackdown_news", "法院审结一起组织考试作弊案，被告人因出售作弊器材被判处有期徒刑一年。"),
    ("law_citation", "根据刑法第二百八十四条之一，组织考试作弊的，处三年以下有期徒刑或者拘役，并处或者单处罚金。"),
    ("law_citation", "为他人实施组织考试作弊犯罪提供作弊器材或者其他帮助的，依照前款的规定处罚。"),
    ("law_citation", "代替他人或者让他人代替自己参加法律规定的国家考试的，处拘役或者管制，并处或者单处罚金。"),
    ("law_citation", "《国家教育考试违规处理办法》规定，携带作弊器材进入考场的，取消该科目考试成绩。"),
    ("anti_fraud", "提醒：网上说能提供中考答案的都是骗子，收了钱就拉黑，大家不要相信。"),
    ("anti_fraud", "每年这个时候都有人在群里卖考前答案，都是诈骗，谨防上当！"),
    ("anti_fraud", "我同学去年买了所谓的中考答案，花了两百块，结果全是假的，别信。"),
    ("anti_fraud", "反诈宣传：中考答案不可能提前泄露，遇到出售答案的请举报。"),
    ("anti_fraud", "谨防“包过”骗局！所谓代考保过都是骗钱的，家长们注意。"),
    ("anti_fraud", "有人私信我说有作弊器出售，我直接举报了，大家也别信这种骗子。"),
    ("homework_answers", "练习册第35页第6题，答案给的是0.6N，我算出来是0.8N，有没有大佬帮忙看一下？"),
    ("homework_answers", "数学作业答案对一下：第一题选B，第二题填12，第三题大家算出多少？"),
    ("homework_answers", "课后答案里这道几何题的辅助线怎么想到的？求讲解"),
    ("homework_answers", "英语周报答案哪里能对？老师说明天讲，我想先自己核对一下。"),
    ("homework_answers", "期末复习卷的答案老师发群里了，大家记得订正错题。"),
    ("homework_answers", "考完想对一下中考答案估分，一般是什么时候出来？"),
    ("homework_answers", "今年中考答案什么时候公布？考完想估一下分数。"),
    ("homework_answers", "模拟考试卷答案解析已经上传到班级群，大家自己看。"),
    ("device_talk", "宿舍太吵了，想买个降噪耳机，预算500以内，大家有推荐的吗？"),
    ("device_talk", "我们区今年中考英语听力是用广播还是发耳机？去年是学校统一放广播。"),
    ("device_talk", "有没有适合学生的电子手表推荐，考试不让带智能手表，所以想要普通的。"),
    ("device_talk", "蓝牙耳机戴久了耳朵疼，有没有骨传导的推荐？跑步用。"),
    ("device_talk", "家里装了个摄像头看宠物，画质还不错，就是晚上有点糊。"),
    ("device_talk", "收音机能收到调频台，练听力挺好用的，推荐给大家。"),
    ("device_talk", "考场里的信号屏蔽器会不会影响心脏起搏器？有家长问过吗？"),
    ("device_talk", "新买的手写笔很好用，记笔记方便多了。"),
    ("tutoring_ad", "暑假初升高衔接班招生，小班授课，名师讲解，报名电话 0791-86001234。"),
    ("tutoring_ad", "中考押题讲座，本周六下午两点，免费试听，地址在市图书馆。"),
    ("tutoring_ad", "一对一数学辅导，985在读学长，提分快，有需要的加微信 fudao_math。"),
    ("tutoring_ad", "中考冲刺班还有名额，主讲真题解析和答题技巧，联系王老师。"),
    ("tutoring_ad", "英语口语陪练，外教一对一，价格优惠，私聊。"),
    ("second_hand", "出几本二手教辅，八九成新，有需要的加微信 shuchong_2009，价格好商量。"),
    ("second_hand", "转让九成新电子词典，自用，价格私聊，同城自提。"),
    ("second_hand", "出闲置的降噪耳机一副，买来没怎么用，加我QQ 1234567890。"),
    ("second_hand", "毕业了，出全套中考真题汇编和五三，便宜卖，微信 shujia2026。"),
    ("second_hand", "出售自行车一辆，骑了一年，有需要的联系 13812345678。"),
    ("ordinary", "中考倒计时30天，大家数学复习到哪了？二次函数的压轴题总是做不完。"),
    ("ordinary", "孩子最近晚上总是睡不着，说怕考不好。各位家长有什么好的办法吗？"),
    ("ordinary", "体育中考1000米怎么跑进满分？现在3分50秒左右。"),
    ("ordinary", "作文素材积累的几个方法：每天读一篇时评，摘抄好的句子。"),
    ("ordinary", "化学方程式怎么记得快？酸碱盐那一章的方程式太多了。"),
    ("ordinary", "今天考完试了，感觉数学最后一题没做出来，好难过。"),
    ("ordinary", "考试院的网站什么时候能查分？等得好着急。"),
    ("ordinary", "中考加油！祝大家都考上理想的高中！"),
    ("ordinary", "体育中考体考项目有哪些？跳绳和实心球怎么练？"),
    ("ordinary", "快递包裹今天到了，书包也到了，准备开学。"),
    ("ordinary", "有没有一起刷题的？每天打卡，互相监督。"),
    ("ordinary", "考试的时候太紧张了，手一直抖，怎么调整心态？"),
]

# Sentence pieces to vary the negatives (each base is also written with a prefix or suffix a real poster adds).
NEG_PREFIX = ["", "转发：", "【转】", "分享一下：", "看到一条消息，", "家长群里说，", "班主任提醒：", "刚看到的，"]
NEG_SUFFIX = ["", "大家注意。", "转给需要的人。", "希望大家都能考好！", "仅供参考。", "", "有同感的吗？", "顶一下。"]

# ---- evasions ------------------------------------------------------------------------------------------
TRAD = dict(zip("试机隐卖发货号题场时间头摄设备团购买还现实证书习学数语历压两对结报网转钱费们这个为后说会进线应价联系觉过", 
                "試機隱賣發貨號題場時間頭攝設備團購買還現實證書習學數語歷壓兩對結報網轉錢費們這個為後說會進線應價聯繫覺過"))
HOMOPHONES = {"作弊器": "作币器", "中考答案": "中考达案", "隐形耳机": "隐型耳机", "米粒耳机": "米立耳机", "接收器": "接受器",
              "代考": "代考", "考前答案": "考前达案", "作弊设备": "作币设备", "密卷": "蜜卷", "答案包": "达案包"}
PINYIN = {"作弊器": "zuobiqi", "中考答案": "zhong kao da an", "隐形耳机": "yinxing erji", "米粒耳机": "mili erji",
          "考前答案": "kaoqian daan", "作弊设备": "zuobi shebei", "答案包": "daanbao", "替人考试": "tiren kaoshi"}
INITIALS = {"作弊器": "zb器", "中考答案": "zk答案", "隐形耳机": "yx耳机", "作弊设备": "zb设备"}
SPLIT = {"作": "亻乍", "弊": "敝廾", "答": "竹合", "案": "安木"}
EMOJI = {"耳机": "🎧", "手机": "📱", "摄像头": "📷", "加": "➕"}
NUMERALS = "零一二三四五六七八九"
CAPITAL = "零壹贰叁肆伍陆柒捌玖"
FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}

def first_key(text, table):
    return next((k for k in table if k in text), None)

def ev_symbols(t):
    k = first_key(t, HOMOPHONES) or first_key(t, {"答案": 1})
    return t.replace(k, "*".join(k), 1) if k else None
def ev_spaces(t):
    k = first_key(t, HOMOPHONES) or first_key(t, {"答案": 1})
    return t.replace(k, " ".join(k), 1) if k else None
def ev_dots(t):
    k = first_key(t, HOMOPHONES) or first_key(t, {"答案": 1})
    return t.replace(k, "·".join(k), 1) if k else None
def ev_zero_width(t):
    k = first_key(t, HOMOPHONES) or first_key(t, {"答案": 1})
    return t.replace(k, "\u200b".join(k), 1) if k else None
def ev_fullwidth(t):
    return "".join(FULLWIDTH.get(c, c) for c in t) if any(c.isascii() and c.isalnum() for c in t) else None
def ev_repeat(t):
    k = first_key(t, HOMOPHONES)
    return t.replace(k, "".join(c * 2 for c in k), 1) if k else None
def ev_traditional(t):
    out = "".join(TRAD.get(c, c) for c in t)
    return out if out != t else None
def ev_homophone(t):
    k = next((k for k in HOMOPHONES if k in t and HOMOPHONES[k] != k), None)
    return t.replace(k, HOMOPHONES[k], 1) if k else None
def ev_pinyin(t):
    k = first_key(t, PINYIN)
    return t.replace(k, " " + PINYIN[k] + " ", 1) if k else None
def ev_initials(t):
    k = first_key(t, INITIALS)
    return t.replace(k, INITIALS[k], 1) if k else None
def ev_split(t):
    k = first_key(t, {"作弊": 1, "答案": 1})
    return t.replace(k, "".join(SPLIT.get(c, c) for c in k), 1) if k else None
def ev_emoji(t):
    k = first_key(t, {"耳机": 1, "摄像头": 1})
    return t.replace(k, EMOJI[k], 1) if k else None
def ev_numerals(t):
    import re
    m = re.search(r"1[3-9][0-9]{9}", t)
    if not m:
        return None
    table = CAPITAL if random.random() < 0.5 else NUMERALS
    return t.replace(m.group(0), "".join(table[int(d)] for d in m.group(0)), 1)
def ev_styled_digits(t):
    import re
    m = re.search(r"[0-9]{5,}", t)
    if not m:
        return None
    circled = {str(i): chr(0x2460 + i - 1) for i in range(1, 10)}
    circled["0"] = "⓪"
    return t.replace(m.group(0), "".join(circled[d] for d in m.group(0)), 1)

EVASIONS = [("symbols", ev_symbols), ("spaces", ev_spaces), ("middle_dots", ev_dots), ("zero_width", ev_zero_width),
            ("full_width", ev_fullwidth), ("repeated", ev_repeat), ("traditional", ev_traditional), ("homophone", ev_homophone),
            ("pinyin", ev_pinyin), ("initials", ev_initials), ("split", ev_split), ("emoji", ev_emoji),
            ("chinese_numerals", ev_numerals), ("styled_digits", ev_styled_digits)]

rows = []
for i, (category, text) in enumerate(OFFERS):
    rows.append({"id": f"p{i:03d}", "text": text, "alert": True, "category": category, "evasion": "none"})
    applicable = [(name, f(text)) for name, f in EVASIONS]
    applicable = [(n, v) for n, v in applicable if v and v != text]
    random.shuffle(applicable)
    for j, (name, variant) in enumerate(applicable[:3]):
        rows.append({"id": f"p{i:03d}{chr(97 + j)}", "text": variant, "alert": True, "category": category, "evasion": name})

for i, (context, text) in enumerate(NEGATIVES):
    variants = {text}
    tries = 0
    while len(variants) < 4 and tries < 50:
        tries += 1
        variant = random.choice(NEG_PREFIX) + text + random.choice(NEG_SUFFIX)
        if random.random() < 0.25:
            variant = ev_traditional(variant) or variant
        variants.add(variant)
    for j, variant in enumerate(sorted(variants)):
        rows.append({"id": f"n{i:03d}{chr(97 + j)}", "text": variant, "alert": False, "category": context, "evasion": "none"})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "devset.jsonl")
with open(out, "w", encoding="utf-8") as f:
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(rows), "rows:", sum(r["alert"] for r in rows), "must-alert,", sum(not r["alert"] for r in rows), "hard negatives")
