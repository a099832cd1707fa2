"""The words the demo draws from: names, places, firms, media, festival dates."""

import datetime
import itertools

# ---------------------------------------------------------------------------------------------
# Vocabularies for plausible names and numbers

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴莫孔汤应俞岑楼童舒柴裘"
)
# More common surnames first: weights fall off along the string.
_SURNAME_WEIGHTS = list(itertools.accumulate(1.0 / (1 + i * 0.08) for i in range(len(SURNAMES))))
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明辉刚健峰建国华平林波鹏宇浩俊飞凯龙海东亮"
    "文志永成兵鑫晨阳宁新立忠德春锋荣力松良庆"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪婷慧莉洁颖佳倩丹蓉媛琴云凤晶欣怡月兰桂珍萱雅"

# Resident ID region codes (GB/T 2260): the county and its neighbours for local people, and the
# counties most Zhejiang migrant workers come from.
LOCAL_REGIONS = ("330282",) * 8 + ("330281", "330283", "330226", "330225", "330212", "330206")
MIGRANT_REGIONS = (
    "341221 341222 341225 342221 411522 411526 412726 511321 511623 511725 520502 522422 "
    "360731 360732 431021 430524 532128 500233"
).split()
COUNTY_REGION = "330282"
MOBILE_PREFIXES = (
    "133 135 136 137 138 139 150 151 152 157 158 159 177 180 182 187 188 189 198 199"
).split()
EDUCATIONS = ("小学", "初中", "高中", "中专", "大专", "本科", "研究生")
_EDUCATION_WEIGHTS = list(itertools.accumulate((3, 25, 20, 15, 20, 15, 2)))
MINORITIES = ("土家族", "苗族", "彝族", "布依族", "回族", "侗族")

BRANDS = (
    "恒达 华宇 金鑫 永盛 宏图 东方 天成 瑞丰 振华 海天 博远 联创 顺发 巨力 通达 鼎盛 宝丰 锦程 "
    "精工 德隆 新光 亚太 中意 欧博 凯迪 利达 三友 富源 开元 光明 嘉禾 旭日 星辰 泰和 龙腾 飞跃 "
    "祥和 汇丰 兴业 立信 方圆 美达 奥克 汉威 卓越 晨光 润泽 宏达 伟业 华盛 金海 银河 明珠 "
    "东海 天马 金龙 百盛 安信 远大 联丰 锐达 丰源 佳和 长虹 宇星 盛达 金帆 海韵 欣诚"
).split()
INDUSTRIES = (
    "机械 电器 塑业 纺织 服饰 五金 模具 汽车零部件 电子 家电 轴承 化纤 包装 印务 食品 水产 建材 "
    "不锈钢 照明 工具 阀门 紧固件 家具 文具 物流 建设 新材料 光电 智能科技 精密铸造 制衣 针织 "
    "橡胶 环保科技 医疗器械 电机 线缆 卫浴 小家电 渔具"
).split()
PUBLIC_BODIES = (
    ("人民政府", "机关工会"),
    ("中心小学", "中心小学工会"),
    ("初级中学", "初级中学工会"),
    ("卫生院", "卫生院工会"),
    ("中心幼儿园", "中心幼儿园工会"),
    ("成人文化技术学校", "成人文化技术学校工会"),
    ("第二小学", "第二小学工会"),
    ("综合文化站", "综合文化站工会"),
    ("农业农村办公室", "农业农村办公室工会"),
    ("社会事务管理服务中心", "社会事务管理服务中心工会"),
)
STATE_FIRMS = (
    "国网慈溪县供电公司{short}供电所",
    "慈溪县自来水有限公司{short}水厂",
    "中国邮政集团有限公司慈溪县{short}支局",
    "慈溪县农村商业银行{short}支行",
)
VILLAGE_FIRST = "东西南北上下新大小前后石杨李王沈陈胡金长横白高塘桥"
VILLAGE_SECOND = "家桥塘岙浦山湾埠岭溪江林庄坞墩头洋河泾"
JOINT_AREAS = (
    "工业园区 五金行业 商贸城 小微企业 餐饮行业 物流行业 建筑行业 家政服务业 快递行业 汽配行业 "
    "纺织服装行业 电商产业园 个体劳动者 新就业形态 农贸市场 商会"
).split()
UNIVERSITIES = (
    "浙江大学 宁波大学 浙江工业大学 杭州电子科技大学 浙江师范大学 宁波工程学院 浙江万里学院 "
    "宁波职业技术学院 中国计量大学 浙江科技大学"
).split()
MEDIA = "宁波日报 浙江工人日报 县融媒体中心 宁波晚报 中工网 慈溪新闻 宁波工会微信公众号".split()

# Dates of the festivals that time the welfare campaigns.
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
}
DOUBLE_NINTH = {
    2024: datetime.date(2024, 10, 11),
    2025: datetime.date(2025, 10, 29),
    2026: datetime.date(2026, 10, 18),
}
