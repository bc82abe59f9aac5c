"""报告的中文用语（键与 `messages_en` 相同；测试保证两者一致）。用词依 GLOSSARY。"""

MESSAGES: dict[str, str] = {
    # 页面
    "lang.name": "中文",
    "lang.switch": "English",
    "page.title": "greensim：{names}",
    "page.title.versus": " 对比 ",
    "page.base": "基准：{base}（{why}）。下文所有差值均为政策情景减去该基准。",
    "page.base.first": "即第一个给出的运行目录；可用 --base 另选",
    "page.base.chosen": "由 --base 指定",
    "page.answer": "先看结论",
    "page.answer.note": "每张卡片：{year}年 {policy} 与 {base} 相比的一项关键结果；差值按重复运行"
                        "逐一配对（共同随机数）计算，括号内为95%区间，共 {n} 次重复运行。",
    "page.answer.unpaired": "{policy} 与 {base} 使用了不同的随机种子：差值无法配对（Welch 区间），"
                            "区间更宽。",
    "page.answer.none": "只有一个情景：没有可与基准比较的政策情景。",
    "card.better": "更好",
    "card.worse": "更差",
    "card.unclear": "无明显差别",
    "card.sentence.up": "{year}年{outcome}比{base}增加{diff}{interval}。",
    "card.sentence.down": "{year}年{outcome}比{base}减少{drop}{interval}。",
    "card.sentence.flat": "{year}年{outcome}与{base}相比变化{diff}{interval}，无明显差别。",
    "card.interval": "（{low}至{high}）",
    "card.relative.up": "比基准高{share}", "card.relative.down": "比基准低{share}",
    "card.cost.more": "支出更多", "card.cost.less": "支出更少",
    "page.scenarios": "情景",
    "page.key_figures": "关键数据",
    "page.key_figures.note": "各次重复运行的平均值，括号内为95%区间（按重复运行计算的 Student t "
                             "区间，并截在该量的取值范围内，例如比例不超过0–100%；与 "
                             "`greensim compare` 输出的区间相同）；只有一次运行时仅显示平均值。"
                             "2025年上半年的数据为1至6月之和；发言中2025年上半年接待游客2.3万人次、"
                             "旅游综合收入460万元（见 docs/calibration.md），2025年群众生态满意度"
                             "全县排名第一。",
    "page.events": "事件（第0次重复运行，前{n}条）",
    "page.events.summary": "{name}：共{total}条事件，按日期显示前{n}条",
    "page.events.routine": "（议事会解决的{n}件问题未逐条列出，镇级表的issues_resolved列有其数量）",
    "page.sensitivity": "敏感性分析",
    "sens.design": "{kind} 设计：{points} 个设计点 × 每点 {replicates} 次重复运行，基于 {base}，变动参数：{names}。"
                   "每个设计点的结果取其重复运行的平均值。",
    "sens.how.sobol": "S1 = 一阶 Sobol 指数（该参数单独造成的结果方差比例），ST = 总指数（含其全部交互作用）；"
                      "误差线为95%自助法区间。ST 明显大于 S1 表示该参数主要通过交互作用起作用。",
    "sens.how.morris": "μ* = 基本效应绝对值的平均（总体影响，单位同结果），σ = 其标准差（非线性或交互作用）；"
                       "μ* 的误差线为95%自助法区间。",
    "sens.how.lhs": "δ = Borgonovo 矩独立指数，S1 = 由同一样本估计的一阶指数；误差线为95%自助法区间。",
    "sens.caveats": "请谨慎解读（这些指数理论上介于0–1之间；下列估计值或区间超出0–1只是抽样误差所致）：",
    "sens.cav.what": "{parameter} 对{outcome}的 {index} 为 {value}",
    "sens.cav.ci": "（区间 {low}至{high}）",
    "sens.cav.below": "{what}{ci}：低于0只是抽样误差所致，可读作约为0；增加样本量（--samples）可使其收窄",
    "sens.cav.above": "{what}{ci}：高于1只是抽样误差所致（指数最大为1），可读作约为1；增加样本量"
                      "（--samples）可使其收窄",
    "sens.cav.ends": "{what}，但其区间（{low}至{high}）{sides}只是抽样误差所致；可将{edges}，"
                     "增加样本量（--samples）可使其收窄",
    "sens.cav.and": "、",
    "sens.cav.side.low": "低于0", "sens.cav.side.high": "高于1",
    "sens.cav.edge.low": "下限读作0", "sens.cav.edge.high": "上限读作1",
    "page.provenance": "来源与版本",
    "page.period": "{start}至{end}",
    # the event log (sim/report/events.py)
    "event.closure": "关停取缔", "event.connection": "接入", "event.fine": "罚款",
    "event.inspection_passed": "检查合格", "event.inspection_failed": "检查不合格",
    "event.coculture_spring": "稻渔共生（春季）", "event.facility_build_start": "开工建设",
    "event.facility_online": "投入运行", "event.investment": "投资",
    "event.investor_admitted": "项目入驻", "event.investor_refused": "拒绝入驻",
    "event.outage_start": "停运开始", "event.outage_end": "停运结束",
    "event.price_crash": "价格暴跌", "event.retrofit": "粪污处理改造",
    "event.sand_site_closed": "关闭采砂点", "event.homestays_opened": "新开民宿",
    "event.rule.unlicensed": "无证作坊", "event.rule.cod_load_above": "化学需氧量超限",
    "event.rule.named": "点名关停",
    "event.detail.closure": "依据：{v0}；{v1}名工人失业",
    "event.detail.connection": "接入{v0}",
    "event.detail.fine": "罚没{v0}个月利润",
    "event.detail.inspection_failed": "存栏{v0}头",
    "event.detail.coculture_spring": "新采用{v0}户，退出{v1}户",
    "event.detail.facility_build_start": "处理能力{v0}立方米/日",
    "event.detail.investment": "床位+{v0}，步道日接待+{v1}人，吸引力+{v2}",
    "event.detail.investor_admitted": "{v0}村", "event.detail.investor_refused": "{v0}村",
    "event.detail.outage_start": "{v0}天", "event.detail.outage_end": "{v0}天",
    "event.detail.price_crash": "{v0}元/斤",
    "event.detail.retrofit": "贷款{v0}万元，免费设备{v1}万元",
    "event.detail.sand_site_closed": "复垦{v0}亩",
    "event.detail.homestays_opened": "新开{v0}家民宿（民间投资）",
    "event.issue_resolved": "议事会解决议题",
    "event.detail.issue_resolved": "{v0}",
    "event.issue.rubbish_point": "垃圾收集点", "event.issue.dumping": "乱倒垃圾举报",
    "event.issue.street_lights": "路灯", "event.issue.other": "其他事项",
    "event.subject.facility": "集中污水处理设施", "event.subject.paddy": "稻田",
    "event.subject.crayfish": "小龙虾", "event.subject.chemical": "化工企业",
    "event.subject.sand_mining": "采砂", "event.subject.tourism": "旅游",
    "event.subject.marketing": "宣传推广", "event.subject.trail": "徒步步道",
    "event.subject.camping": "露营基地", "event.subject.homestays": "森林民宿",
    "event.subject.riverside_walk": "滨河步道",
    "col.scenario": "情景", "col.folder": "目录", "col.description": "说明",
    "col.replicates": "重复运行次数", "col.seed": "随机种子", "col.period": "时段",
    "col.version": "版本", "col.git": "git 版本号",
    "col.date": "日期", "col.kind": "类型", "col.subject": "对象", "col.detail": "详情",
    # 关键数据
    "kf.last_year": "最后一个完整年份",
    "kf.share": "2025年上半年断面达标率（按月样本计，Ⅲ类）",
    "kf.load": "最后一个完整年份{pollutant}入河量（吨）",
    "kf.income": "最后一个完整年份人均可支配收入（元）",
    "kf.spending": "全期财政支出（{money}）",
    "kf.visits": "2025年上半年游客（人次）",
    "kf.revenue": "2025年上半年旅游综合收入（{money}）",
    "kf.coculture": "2025年6月稻渔共生户数",
    "kf.air": "2025年上半年空气质量优良天数（共181天）",
    "kf.ranked": "2025年前三季度每次满意度调查均居全县第一",
    "kf.ranked.value": "{n}次重复运行中有{k}次（{share}）",
    # 单位
    "money.unit": "万元",
    "money.per_year": "万元/年",
    "unit.t_per_year": "吨/年", "fig.axis.unit": "{name}（{unit}）",
    # 各部分
    "sec.water": "河流与小作坊", "sec.tourism": "生态旅游", "sec.farms": "农田与养殖",
    "sec.life": "日常生活与群众满意度",
    "note.band": "线 = 各次重复运行的中位数；阴影：深色为25%–75%，浅色为5%–95% 的重复运行范围。",
    "note.partial": "年度合计只含完整的自然年；未计入的不完整年份：{years}。",
    "note.partial.year": "{year}年（{n}个月）",
    "note.end": "为每年年末的数值（不完整年份取最后一个模拟月）",
    "fig.water_class": "各断面逐月水质类别",
    "fig.water_class.note": "颜色 = 各次重复运行中当月采样水质类别的中位数（并列时取较差者）；"
                            "蓝色和绿色达到{target}目标，黄色至红色未达标。断面自上游（上）至下游排列；"
                            "鼠标悬停可见达标的重复运行比例。",
    "fig.water_class.axis": "断面", "fig.water_class.bar": "类别",
    "fig.water_class.hover": "%{{y}}，%{{x|%Y年%m月}}：%{{text}}<br>%{{customdata:.0%}} 的重复运行"
                             "达到{target}",
    "fig.target": "达到{target}的采样比例",
    "fig.target.note": "各断面月度采样达到{target}或更好的比例，按年平均。{band}",
    "fig.target.axis": "达到{target}的比例",
    "fig.loads": "各来源污染物入河量",
    "fig.loads.note": "每年吨数，各次重复运行的平均值，按来源堆叠；同一行的图共用刻度。{partial}",
    "fig.income": "人均可支配收入",
    "fig.income.note": "全镇每人每年元数。{band}{partial}",
    "fig.income.axis": "元/人/年",
    "fig.workshops": "小作坊与就业",
    "fig.workshops.note": "每年年末的数量，各次重复运行的平均值。",
    "fig.workshops.panel": "小作坊：实线为在营，虚线为接入集中处理，点线为污水直排",
    "fig.workshops.jobs": "就业岗位",
    "fig.workshops.open": "在营", "fig.workshops.connected": "接入集中污水处理设施",
    "fig.workshops.discharging": "污水直排",
    "fig.workshops.axis": "年末小作坊数", "fig.workshops.jobs_axis": "年末小作坊就业岗位",
    "fig.spending": "各项政策措施的财政支出",
    "fig.spending.note": "每年{money}，各次重复运行的平均值，按措施堆叠。{partial}",
    "fig.spending.none": "无财政支出",
    "fig.saving": "接入小作坊的成本节省",
    "fig.saving.note": "接入集中污水处理设施的小作坊，与自行处理相比每立方米成本节省的比例；"
                       "按至少有一家接入的月份取年平均（无接入则无线）。{band}",
    "fig.saving.axis": "每立方米成本节省比例",
    "fig.visits": "游客与旅游综合收入",
    "fig.visits.note": "每年游客人次（一日游加过夜游客）与留在本镇的游客消费。{band}{partial}",
    "fig.visits.visits": "每年游客人次", "fig.visits.visits_axis": "人次/年",
    "fig.visits.revenue": "旅游综合收入",
    "fig.capacity": "床位、民宿与未能接待的游客",
    "fig.capacity.note": "床位与民宿数{end}；每年因无床位而未能接待的游客。{band}{partial}",
    "fig.capacity.beds": "床位", "fig.capacity.beds_axis": "年末床位",
    "fig.capacity.homestays": "民宿", "fig.capacity.homestays_axis": "年末民宿数",
    "fig.capacity.away": "未能接待的游客", "fig.capacity.away_axis": "人次/年",
    "fig.coculture": "稻渔共生与养殖场",
    "fig.coculture.note": "从事稻渔共生（水稻+小龙虾）的农户数与粪污处理达标的养殖场数{end}；"
                          "小龙虾出塘价为各月的年平均。{band}",
    "fig.coculture.households": "稻渔共生户数",
    "fig.coculture.households_axis": "年末户数",
    "fig.coculture.price": "小龙虾出塘价", "fig.coculture.price_axis": "元/斤",
    "fig.coculture.farms": "达标养殖场", "fig.coculture.farms_axis": "年末养殖场数",
    "fig.farm_income": "各项农业收入",
    "fig.farm_income.note": "全镇每人每年来自各来源的农户净收入（亏损年份为负）；各图刻度不同。"
                            "{band}{partial}",
    "fig.farm_income.rice": "水稻", "fig.farm_income.coculture": "稻渔共生（水稻+小龙虾）",
    "fig.farm_income.livestock": "养殖场", "fig.farm_income.forest": "林下经济",
    "fig.satisfaction": "群众生态满意度与全县排名",
    "fig.satisfaction.note": "左：群众生态满意度（0–100）；线和阴影 = 全体居民的月平均（中位数及"
                             "25%–75%、5%–95% 的重复运行范围）；菱形和误差线 = 季度抽样调查（平均值及5%–95% "
                             "的重复运行范围）。右：每季度调查中全县排名第一的重复运行比例。",
    "fig.satisfaction.score": "满意度（0–100）：线为全体居民，◆为季度调查",
    "fig.satisfaction.rank": "全县排名第一的重复运行比例",
    "fig.satisfaction.score_axis": "满意度（0–100）",
    "fig.satisfaction.rank_axis": "排名第一的重复运行比例",
    "fig.satisfaction.survey": "{name} 调查",
    "fig.satisfaction.rank_hover": "%{{customdata}}次中的 %{{y:.0%}}",
    "fig.drivers": "满意度变化的来源",
    "fig.drivers.note": "{year}年，居民感受到的各项因素使群众生态满意度较起始年变化了多少（0–100分制；"
                        "柱为各重复运行的均值，误差线为5%–95%区间）。各柱之和加上起始水平即为平均满意度；"
                        "从未变化的因素（例如河流从未出现黑臭时的黑臭水体）显示为零。",
    "fig.drivers.axis": "较起始年的变化（分）",
    "fig.drivers.hover": "%{{y}}：{year}年 %{{x:+.2f}} 分",
    "fig.drivers.term.water": "本村附近河段水质类别",
    "fig.drivers.term.smell": "黑臭水体",
    "fig.drivers.term.rubbish": "垃圾与存量垃圾",
    "fig.drivers.term.air": "空气质量优良天数",
    "fig.drivers.term.voice": "在生态环保议事会中的发言权",
    "fig.drivers.term.unresolved": "未解决的问题",
    "fig.drivers.term.polluters": "附近的污染项目",
    "fig.drivers.term.income": "收入与自身过去相比",
    "fig.air": "空气、垃圾分类与存量垃圾",
    "fig.air.note": "每年空气质量优良天数；进行垃圾分类的农户比例（年平均）；旧堆放点的存量垃圾{end}。"
                    "{band}{partial}",
    "fig.air.days": "空气质量优良天数", "fig.air.days_axis": "天/年",
    "fig.air.sorting": "垃圾分类农户", "fig.air.sorting_axis": "农户比例",
    "fig.air.legacy": "存量垃圾", "fig.air.legacy_axis": "年末吨数",
    "hover.year": "年份",
    # archive and red/black list
    "page.archive": "生态环保档案与村生态环保红黑榜",
    "archive.title": "逐年生态环保档案",
    "archive.note": "模型逐年记录的生态环保档案（archive 表，见 docs/model.md §7.17、§7.19）；每个数值为"
                    "各次重复运行当年数值的平均：天数、吨数、财政支出和问题件数为全年合计，存量垃圾和新增"
                    "绿化面积为年末数值，比例和水质类别（1 = Ⅰ类 … 6 = 劣Ⅴ类）为各月平均，全县排名取当年"
                    "各次调查中最好的一次；项目数为当年记录的关停取缔、集中污水处理设施投运、投资、养殖场"
                    "粪污处理改造、关闭采砂点和拒绝的投资者之和；没有支出的措施不列出。点开一个情景即可查看"
                    "其表格。",
    "archive.summary": "{name}：{first}–{last}年生态环保档案，{n}次重复运行的平均",
    "archive.column": "项目（单位）",
    "archive.year": "{year}年",
    "archive.good_air_days": "空气质量优良天数（天）",
    "archive.rubbish_t": "垃圾产生量（吨）",
    "archive.legacy_rubbish_t": "年末存量垃圾（吨）",
    "archive.green_area_mu": "年末新增绿化面积（亩）",
    "archive.sections_meeting_target_share": "断面达标率（按月样本计，%）",
    "archive.public_spending_yuan": "财政支出（{money}）",
    "archive.lever": "财政支出：{lever}（{money}）",
    "archive.satisfaction_survey_mean": "群众生态满意度，调查平均（0–100）",
    "archive.satisfaction_rank_best": "当年调查中最好的全县排名（1 = 第一）",
    "archive.issues_raised": "生态环保议事会收集的问题（件）",
    "archive.issues_resolved": "已解决的问题（件）",
    "archive.council_participation_share": "参与生态环保议事会的农户比例（%）",
    "archive.section_class": "{section}平均水质类别（1–6）",
    "section.entry": "入境断面", "section.middle": "中段断面", "section.exit": "出境断面",
    "section.near_field": "作坊下游断面",
    "archive.projects": "记录的项目（项）",
    "rb.title": "逐月村生态环保红黑榜",
    "rb.note": "每月按垃圾分类、焚烧秸秆、未解决问题和人均化学需氧量入河量四项指标为各村排名"
               "（见 docs/model.md §7.17）：前三名上红榜（表扬），后三名上黑榜（通报批评）。颜色 = 该村"
               "上红榜的重复运行比例减去上黑榜的比例：红色为上红榜，黑色为上黑榜，白色为均未上榜（或上两榜"
               "的次数相同）；每个情景一幅图，鼠标悬停可见两项比例。",
    "rb.most": "{name}：上红榜最多的是{red}；上黑榜最多的是{black}。",
    "rb.village": "{village}（{share}）",
    "rb.sep": "、",
    "rb.axis": "村",
    "rb.bar": "红榜 − 黑榜（重复运行比例）",
    "rb.tick.red": "红榜 {p}", "rb.tick.black": "黑榜 {p}",
    "rb.hover": "%{{y}}，%{{x|%Y年%m月}}：%{{customdata[0]}}%的重复运行上红榜，"
                "%{{customdata[1]}}%上黑榜",
    # 谁受益、谁受损
    "page.winners": "谁受益、谁受损",
    "win.villages": "{policy} − {base}：{year}年各村人均收入",
    "win.sources": "{year}年各项农业收入",
    "win.groups": "{year}年各类农户人均收入",
    "win.group.workshop_workers": "小作坊工人户", "win.group.farming": "种田户",
    "win.group.host_villages": "旅游村其他户", "win.group.other": "其他户",
    "win.axis": "变化（元/人）",
    "win.hover": "%{{x}}：%{{y:,.0f}} [%{{customdata[0]:,.0f}}, %{{customdata[1]:,.0f}}]"
                 "（%{{customdata[2]}}）<extra></extra>",
    "win.note": "{year}年人均收入与基准相比的变化，按重复运行逐一配对计算，误差线为95%区间；"
                "蓝色 = 明显受益，橙色 = 明显受损，灰色 = 无明显差别。农户类别按模拟开始时划分、互不重叠："
                "当时有人在小作坊做工的户、其余种田户、接待游客的村里的其余户、其他户；两个情景比较的是"
                "同一批农户。农业收入为全镇来自各来源的人均收入。",
    "win.count": "{policy}：{n}个村中{worse}个明显受损，{better}个明显受益。",
    "win.households": "{policy}：全期来看，{n}户中有{better}户（{better_share}）的收入比同一批农户在"
                      "{base}下至少高1%，{worse}户（{worse_share}）至少低1%（各次重复运行的平均）；"
                      "每多一户受益，多花的财政支出（现值）：{cost}。",
    "win.cost": "{cost}万元",
    "win.jobs": "{policy}：关停取缔使{laid}名工人失业（各次重复运行的平均）；{year}年底仍有{seeking}人在找工作"
                "（{base}：{seeking_base}人）；再就业者拿的是新工作的工资（见上图小作坊工人户）。",
    # 逐年差值与成本
    "page.differences": "逐年差值",
    "page.differences.note": "各政策情景减去基准，逐年计算：线为各次重复运行差值的平均（按重复运行逐一配对，"
                             "共同随机数），阴影为其95%区间；点线以上表示政策情景更高。求和类指标只含完整自然年。",
    "diff.legend": "{policy} − {base}",
    "diff.hover": "%{{y:,.4~r}} [%{{customdata[0]:,.4~r}}, %{{customdata[1]:,.4~r}}]",
    "diffunit.target_share": "差值（样本达标比例，百分点）",
    "diffunit.cod_t_per_yr": "差值（吨/年）",
    "diffunit.income_per_capita_yuan_per_yr": "差值（元/人）",
    "diffunit.visits_per_yr": "差值（人次/年）",
    "diffunit.satisfaction_mean": "差值（分）",
    "diffunit.coculture_households": "差值（户）",
    "page.costs": "钱花在了哪里、换来了什么",
    "cost.npv": "财政支出现值（{money}）",
    "cost.extra": "比基准多支出的现值（{money}）",
    "cost.cod_avoided": "减少的化学需氧量入河量（吨）",
    "cost.per_tonne": "每减少一吨化学需氧量的成本（万元/吨）",
    "cost.not_defined": "无法计算：没有明确的减排",
    "cost.note": "全期与{base}相比；财政支出按每年{rate}贴现到第一年（英国财政部《绿皮书》；可用 "
                 "`greensim compare --discount-rate` 换用其他贴现率）。各次重复运行的平均值[95%区间]，"
                 "差值按重复运行配对；每吨成本的区间为配对 BCa 自助法区间，减排量不明确大于零时不计算。"
                 "每吨成本以整套措施的全部财政支出（含生态旅游、清理存量垃圾、积分制和议事会）除以减少的化学需氧量，"
                 "吨数未贴现。每多一户受益所多花的财政支出见“谁受益、谁受损”。",
    # river schematic
    "fig.river": "河流示意图：逐年的断面、村与小作坊",
    "fig.river.note": "河流自上游起点（0 km）流经全镇，每个情景一幅图；拖动滑块选择年份。断面颜色为该年最差月份的"
                      "水质类别，每月类别取各次重复运行的中位数（并列时取较差者），即下方热图中该年最差的一格；"
                      "蓝色和绿色达到{target}目标，黄色至红色未达标，灰色表示当年无采样。村画在其污水入河处，"
                      "每个区域一行；小作坊画在所在村的里程处，显示多数重复运行中该年年末的状态（形状见图例，"
                      "关停取缔为空心）；集中污水处理设施排口在至少一半的重复运行投运之前为空心。"
                      "鼠标悬停可见该年达到{target}的采样比例，以及各小作坊处于各状态的重复运行比例。",
    "fig.river.note.black": "断面下方的深色六边形表示该年为黑臭水体（空心：轻度黑臭，实心：重度黑臭）："
                            "取每次重复运行当年最差的月份，再取各次重复运行的中位数。",
    "fig.river.note.unresolved": "若运行目录的 run.json 缺少完整情景（resolved_scenario），则不画小作坊"
                                 "与排口，村也仅在村表含河道里程时画出。",
    "river.axis": "沿河里程（km，0 为上游起点）",
    "river.row.river": "河流（断面）", "river.row.workshops": "小作坊",
    "river.row.villages": "村", "river.row.zone": "{zone}村",
    "river.zone.riverside": "沿河生态带", "river.zone.hilly": "丘陵林果区",
    "river.zone.farmland": "农田保护区",
    "river.section.text": "{name}：{cls}",
    "river.hover.section": "{name}，km {km:.1f}，%{{customdata[0]}}年：最差月份为%{{customdata[1]}}"
                           "（重复运行中位数）<br>全年%{{customdata[2]}}的采样达到{target}",
    "river.hover.village": "{name}（{zone}），km {km:.1f}",
    "river.hover.workshop": "{id}，位于{village}，km {km:.1f}<br>%{{customdata[0]}}年末：%{{customdata[1]}}"
                            "（%{{customdata[2]}}的重复运行已关停取缔，%{{customdata[3]}}已接入）",
    "river.hover.outfall": "集中污水处理设施排口，km {km:.1f}<br>%{{customdata[0]}}年末："
                           "%{{customdata[1]}}的重复运行已投运",
    "river.hover.black": "{name}，%{{customdata[0]}}年：黑臭水体（%{{customdata[1]}}）",
    "river.workshop.open": "小作坊：在营",
    "river.workshop.connected": "小作坊：接入集中污水处理设施",
    "river.workshop.closed": "小作坊：关停取缔",
    "river.black.none": "无", "river.black.light": "轻度黑臭", "river.black.heavy": "重度黑臭",
    "river.legend.classes": "当年水质类别", "river.legend.places": "沿河分布",
    "river.legend.village": "村",
    "river.legend.outfall": "集中污水处理设施排口（空心：尚未投运）",
    "river.legend.black": "黑臭水体",
    "river.year": "{year}年", "river.slider": "年份：",
    # 表中的名称
    "class.1": "Ⅰ类", "class.2": "Ⅱ类", "class.3": "Ⅲ类", "class.4": "Ⅳ类", "class.5": "Ⅴ类",
    "class.6": "劣Ⅴ类",
    "pollutant.cod": "化学需氧量（COD）", "pollutant.nh3n": "氨氮（NH₃-N）",
    "pollutant.tp": "总磷（TP）",
    "source.households": "农户生活", "source.tourists": "游客", "source.livestock": "养殖场",
    "source.farmland": "农田", "source.rubbish": "垃圾", "source.industry": "工业",
    "source.workshops": "小作坊", "source.facility": "集中污水处理设施",
    "lever.closures": "关停取缔", "lever.shared_facility": "集中污水处理设施",
    "lever.ecotourism": "生态旅游", "lever.manure_retrofit": "粪污处理改造",
    "lever.coculture": "稻渔共生", "lever.forest_economy": "林下经济",
    "lever.points_scheme": "积分制", "lever.cleanup": "清理存量垃圾",
    "lever.councils": "生态环保议事会", "lever.total": "合计",
    "scenario.as_reported": "实际做法（按发言所述）", "scenario.no_transition": "维持现状（不转型）",
    # 卡片上的结果
    "outcome.target_share": "断面达标率（按月样本计，Ⅲ类）",
    "outcome.cod_t_per_yr": "化学需氧量入河量",
    "outcome.nh3n_t_per_yr": "氨氮入河量",
    "outcome.income_per_capita_yuan_per_yr": "人均可支配收入",
    "outcome.visits_per_yr": "游客人次",
    "outcome.satisfaction_mean": "群众生态满意度",
    "outcome.public_spending_yuan_per_yr": "财政支出（未贴现）",
    "outcome.coculture_households": "稻渔共生户数",
    "unit.target_share": "{p:.1f}个百分点",
    "unit.cod_t_per_yr": "{v:,.1f}吨/年", "unit.nh3n_t_per_yr": "{v:,.2f}吨/年",
    "unit.income_per_capita_yuan_per_yr": "{v:,.0f}元", "unit.visits_per_yr": "{v:,.0f}人次",
    "unit.satisfaction_mean": "{v:.1f}分",
    "unit.public_spending_yuan_per_yr": "{w:,.0f}万元/年",
    "unit.coculture_households": "{v:,.0f}户",
    # issue 15: the river's near-field section and the reality checks (appended here)
    "page.checks": "现实检验",
    "page.checks.note": "内置情景应当呈现的结果（sim/analysis/checks.yaml），用本报告中同名情景的运行结果检验："
                        "通过{passed}项，未通过{failed}项，未运行{not_run}项（本报告没有该情景的运行，或运行未覆盖该时段）。"
                        "未通过的检验是模型未达到的目标，差距见 docs/calibration.md。",
    "checks.col.check": "检验", "checks.col.scenario": "情景",
    "checks.col.period": "时段（月份）", "checks.col.expected": "预期",
    "checks.col.value": "实测（行数）", "checks.col.result": "结果",
    "checks.share": "重复运行月份占比", "checks.mean": "均值",
    "checks.pass": "通过", "checks.fail": "未通过", "checks.not_run": "未运行",
    "lever.rural_sewage": "农村生活污水治理",
}
