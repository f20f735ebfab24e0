# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's admin pages: the menu, sign-ins, finding and tracing, the door's pages, kiosks,
# the team, the status page, logging in, and the CSV files' header lines.

## The menu
admin-menu = انتظامی مینو
admin-nav-signins = داخلے
admin-nav-inside = اس وقت اندر
admin-nav-roll-call = حاضری
admin-nav-find = کسی کو تلاش کریں
admin-nav-trace = کون یہاں تھا
admin-nav-kiosks = کیوسک
admin-nav-double-uses = دوہرا استعمال
admin-nav-audit = آڈٹ لاگ
admin-nav-team = ٹیم
admin-nav-status = حالت
admin-nav-logout = { $name } ({ $role }) لاگ آؤٹ

## Roles (the value stored stays English; this is what is shown)
admin-role-viewer = ناظر
admin-role-tracer = ٹریسر
admin-role-admin = منتظم

## Table columns
admin-col-signed-in = داخلہ
admin-col-left = روانگی
admin-col-entrance = دروازہ
admin-col-people = افراد
admin-col-kiosk = کیوسک
admin-col-name = نام
admin-col-phone = فون
admin-col-email = ای میل
admin-col-enrolled = اندراج
admin-col-last-seen = آخری رابطہ
admin-col-state = حالت
admin-col-actions = اقدامات
admin-col-last-upload = آخری اپ لوڈ
admin-col-last-contact = آخری رابطہ
admin-col-people-inside = اندر افراد
admin-col-passes = پاس
admin-col-inside-since = کب سے اندر
admin-col-quarter = پندرہ منٹ (UTC)
admin-col-arrivals = آمد
admin-col-most-inside = سب سے زیادہ اندر
admin-col-day = دن
admin-col-signins = داخلے
admin-col-left-scanned = روانگی (اسکین)
admin-col-auto = خودکار روانگی
admin-col-no-exit = روانگی معلوم نہیں
admin-col-average = اوسط قیام (اسکین)
admin-col-when = کب
admin-col-who = کون
admin-col-what = کیا
admin-col-details = تفصیل
admin-col-pass = پاس
admin-col-first = پہلی بار
admin-col-first-kiosk = پہلا کیوسک
admin-col-again = دوبارہ
admin-col-role = کردار
admin-col-status = کیفیت
admin-col-signins-24h = 24 گھنٹوں میں داخلے
admin-col-newest = تازہ ترین داخلہ
admin-total = کل
admin-the-day = پورا دن

## How a stay ended
admin-left-exit = روانگی اسکین ہوئی
admin-left-auto = اندازہ: خودکار روانگی
admin-left-default = اندازہ: روانگی معلوم نہیں، طے شدہ قیام

## Times
admin-never = کبھی نہیں
admin-ago-minutes = { $when } ({ $minutes } منٹ پہلے)
admin-ago-hours = { $when } ({ $hours } گھنٹے { $minutes } منٹ پہلے)
admin-minutes = { $minutes } منٹ

## Errors
admin-error-query = غلط سوال۔
admin-error-day = دن YYYY-MM-DD کی شکل میں لکھیں۔
admin-error-dates = تاریخیں YYYY-MM-DD کی شکل میں لکھیں۔
admin-error-search-by = نام، فون یا ای میل سے تلاش کریں۔
admin-error-nothing = تلاش کے لیے کچھ نہیں۔
admin-error-minutes = منٹ 0 سے 1440 تک کا عدد ہونے چاہییں۔
admin-error-export = what=day یا what=trace برآمد کریں۔
admin-error-kiosk-name = کیوسک کو 1 سے 100 حروف کا نام دیں۔
admin-error-no-kiosk = ایسا کوئی فعال کیوسک نہیں۔
admin-error-device-token = انتظامی صفحات کے لیے منتظم کا لاگ ان چاہیے، کیوسک کا ٹوکن نہیں۔
admin-error-role = آپ کا کردار ({ $role ->
        [viewer] { admin-role-viewer }
        [tracer] { admin-role-tracer }
       *[admin] { admin-role-admin }
    }) یہ صفحہ نہیں کھولتا۔ ضرورت ہو تو کسی منتظم سے کہیں۔
admin-error-busy = سرور مصروف ہے۔ تھوڑا انتظار کر کے دوبارہ کوشش کریں۔
admin-error-logins = اس پتے سے لاگ ان کی بہت زیادہ کوششیں ہوئیں۔ ایک منٹ انتظار کر کے دوبارہ کوشش کریں۔
admin-error-attempts = اس پتے سے بہت زیادہ کوششیں ہوئیں۔ ایک منٹ انتظار کر کے دوبارہ کوشش کریں۔
admin-error-hash = پاس ورڈ محفوظ نہیں ہو سکا۔
admin-error-link = لنک نہیں بن سکا۔
admin-error-invalid = { $field ->
    [name] نام درست نہیں۔
    [email] ای میل درست نہیں۔
   *[role] کردار درست نہیں۔
}
admin-error-member-exists = اس ای میل کا رکن پہلے سے موجود ہے۔
admin-error-last-admin = یہ آخری منتظم ہے: پہلے کسی اور رکن کو منتظم بنائیں۔
admin-error-no-member = ایسا کوئی رکن نہیں۔

## Sign-ins of a day, finding a person, who was here
admin-day-title = { $day } کے داخلے
admin-export-csv = CSV برآمد کریں
admin-find-title = کسی کو تلاش کریں
admin-search-by = تلاش بذریعہ
admin-search-name = نام
admin-search-phone = فون
admin-search-email = ای میل
admin-search-exactly = بالکل یہی
admin-search-from = سے
admin-search-to = تک
admin-search-submit = تلاش
admin-find-count = { $count } داخلے۔
admin-trace-title = کون یہاں تھا
admin-trace-within = کتنے منٹ کے اندر
admin-trace-stay = قیام کی مدت، منٹ
admin-trace-note = قیام داخلے سے روانگی تک ہوتا ہے۔ کیوسک کی خودکار بند کی گئی روانگیاں، اور وہ قیام جن کی روانگی معلوم نہیں (جو اوپر دی گئی مدت کے برابر گنے جاتے ہیں)، اندازے ہیں اور ان پر نشان ہے۔
admin-trace-visits = آمد ({ $count })
admin-trace-others = وہاں موجود دوسرے ({ $count })

## CSV files: the header line (keep the commas: one name per column)
admin-csv-signins = داخلہ_utc,کیوسک,نام,فون,ای_میل,روانگی_utc,روانگی,دروازہ,افراد
admin-csv-roll-call = دروازہ,نام,فون,کب_سے_اندر_utc,کیوسک,افراد

## Audit log and double uses
admin-audit-title = آڈٹ لاگ
admin-audit-server = (سرور)
admin-double-title = دوہرا استعمال
admin-double-intro = وہ پاس جو دو کیوسک پر قبول ہوئے (مثلاً اس وقت دونوں آف لائن تھے)۔

## Kiosks
admin-kiosks-title = کیوسک
admin-kiosks-new = نئے کیوسک کا نام
admin-kiosks-enrol = کیوسک کا اندراج کریں
admin-kiosks-key = منتظم کی عوامی کلید
admin-kiosks-download = ڈاؤن لوڈ
admin-kiosk-active = فعال
admin-kiosk-revoked = { $when } کو منسوخ
admin-kiosk-revoked-short = منسوخ
admin-kiosk-revoke = منسوخ کریں
admin-enrolled-title = کیوسک کا اندراج ہو گیا
admin-enrolled-intro = کیوسک { $name } کا اندراج ہو گیا۔ یہ کوڈ کیوسک کی انتظامی اسکرین سے اسکین کریں، یا متن چسپاں کریں۔ یہ صرف ایک بار دکھایا جاتا ہے۔
admin-enrolled-image = اندراج کا کوڈ
admin-enrolled-back = کیوسک کی فہرست پر واپس

## The door's pages
admin-kiosks-offline = جس کیوسک نے کچھ دیر سے اپ لوڈ نہیں کیا وہ آف لائن ہو سکتا ہے: اس کے بعد اس نے جنہیں اندر یا باہر کیا وہ ابھی ان اعداد میں نہیں۔
admin-inside-title = اس وقت اندر
admin-inside-as-of = { $when } تک (صفحہ ہر { $seconds } سیکنڈ بعد تازہ ہوتا ہے)۔
admin-inside-as-of-still = { $when } تک۔
admin-inside-start = ہر { $seconds } سیکنڈ بعد تازہ کریں
admin-inside-stop = تازہ کرنا بند کریں
admin-csv = CSV
admin-roll-title = حاضری
admin-roll-as-of = { $when } تک: { $passes } پاس پر { $people } افراد اندر ہیں۔
admin-roll-print = یہ صفحہ براؤزر کے پرنٹ کمانڈ سے پرنٹ کریں۔
admin-roll-nobody = اندر کوئی نہیں۔
admin-roll-entrance = { $entrance }: { $people } افراد
admin-roll-kiosks = کیوسک کے آخری اپ لوڈ
admin-glance-day = دن
admin-glance-show = دکھائیں
admin-glance-title = { $day } ایک نظر میں
admin-glance-intro = ہر دروازے کے لیے: ستون ہر پندرہ منٹ میں آنے والے افراد ہیں، لکیر ایک وقت میں سب سے زیادہ اندر۔ اوقات UTC میں ہیں۔
admin-glance-none = اس دن کوئی داخلہ نہیں۔
admin-glance-chart = { $entrance }، { $day }: ہر پندرہ منٹ کی آمد اور ایک وقت میں سب سے زیادہ اندر
admin-days-title = دن کے حساب سے داخلے
admin-days-intro = داخلے { $days } دن رکھے جاتے ہیں۔ دن UTC میں ہیں۔ قیام کیوسک پر اسکین شدہ روانگی، یا خودکار روانگی (ایک اندازہ) پر ختم ہوتا ہے۔
admin-signins-title = داخلے

## The team
admin-team-title = ٹیم
admin-team-roles = کردار: { $admin } (سب کچھ)، { $tracer } (تلاش، ٹریس، برآمد، آڈٹ لاگ)، { $viewer } (گنتی، اس وقت اندر، تقریبات؛ رابطے کی معلومات نہیں)۔
admin-member-disabled = غیر فعال
admin-member-invited = مدعو
admin-member-active = فعال
admin-team-role-for = { $name } کا کردار
admin-team-change = تبدیل کریں
admin-team-new-link = نیا لنک
admin-team-disable = غیر فعال کریں
admin-team-invite-title = رکن کو مدعو کریں
admin-team-invite = مدعو کریں
admin-team-invite-note = دعوت ایک لنک ہے، 24 گھنٹے اور صرف ایک بار کے لیے: خود پہنچائیں (کوئی ای میل نہیں بھیجی جاتی)۔ نیا لنک پرانے ختم کر دیتا ہے؛ غیر فعال کرنا تمام سیشن فوراً ختم کر دیتا ہے۔
admin-team-link = { $name } کے لیے لنک، صرف ایک بار دکھایا گیا (24 گھنٹے، ایک استعمال):

## The status page
admin-status-title = حالت
admin-status-server = سرور
admin-status-version = ورژن
admin-status-database = ڈیٹا بیس
admin-status-answered = { $backend }، { $ms } ملی سیکنڈ میں جواب
admin-status-signins = محفوظ داخلے
admin-status-disk = ڈسک (ڈیٹا فولڈر)
admin-status-free = { $total } میں سے { $free } خالی
admin-status-unknown = نامعلوم ({ $error })
admin-status-retention-run = پرانے ریکارڈ کی صفائی، آخری بار
admin-status-started = { $when } کو شروع، { $end }
admin-status-finished = { $when } کو مکمل: صاف کیے { $detail }
admin-status-unfinished = مکمل نہیں ہوا
admin-status-retention = رکھنے کی مدت
admin-status-days = { $days } دن
admin-status-kiosks = ہر کیوسک کی اپنی قطار (منتظر داخلے، رد شدہ الگ رکھے گئے) اس کے انتظامی پینل پر ہے؛ یہاں وہ ہے جو سرور تک پہنچا۔

## Logging in and setting a password
admin-login-title = منتظم لاگ ان
admin-login-email = ای میل
admin-login-password = پاس ورڈ
admin-login-submit = لاگ ان
admin-login-recover = ریکوری کوڈ سے پاس ورڈ مقرر کریں
admin-login-wrong = ای میل یا پاس ورڈ غلط ہے۔
admin-recover-title = پاس ورڈ مقرر کریں
admin-recover-intro = ایک بار کا کوڈ (کسی منتظم کے دیے گئے لنک سے، یا جو { $command } نے پرنٹ کیا) اور نیا پاس ورڈ (کم از کم { $min } حروف) درج کریں۔
admin-recover-code = ریکوری کوڈ
admin-recover-new = نیا پاس ورڈ
admin-recover-again = دوبارہ
admin-recover-submit = پاس ورڈ محفوظ کریں
admin-recover-short = پاس ورڈ بہت چھوٹا ہے۔
admin-recover-long = پاس ورڈ بہت لمبا ہے۔
admin-recover-differ = دونوں پاس ورڈ مختلف ہیں۔
admin-recover-wrong = یہ ریکوری کوڈ غلط، استعمال شدہ یا ختم شدہ ہے۔
