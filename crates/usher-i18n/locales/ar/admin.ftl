# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's admin pages: the menu, sign-ins, finding and tracing, the door's pages, kiosks,
# the team, the status page, logging in, and the CSV files' header lines.

## The menu
admin-menu = قائمة الإدارة
admin-nav-signins = الدخول
admin-nav-inside = في الداخل الآن
admin-nav-roll-call = كشف الحضور
admin-nav-find = البحث عن شخص
admin-nav-trace = من كان هنا
admin-nav-kiosks = الأجهزة
admin-nav-double-uses = الاستخدام المكرر
admin-nav-audit = سجل المراجعة
admin-nav-team = الفريق
admin-nav-status = الحالة
admin-nav-logout = تسجيل خروج { $name } ({ $role })

## Roles (the value stored stays English; this is what is shown)
admin-role-viewer = مشاهد
admin-role-tracer = متتبع
admin-role-admin = مدير

## Table columns
admin-col-signed-in = وقت الدخول
admin-col-left = وقت الخروج
admin-col-entrance = المدخل
admin-col-people = الأشخاص
admin-col-kiosk = الجهاز
admin-col-name = الاسم
admin-col-phone = الهاتف
admin-col-email = البريد الإلكتروني
admin-col-enrolled = تاريخ التسجيل
admin-col-last-seen = آخر اتصال
admin-col-state = الحالة
admin-col-actions = الإجراءات
admin-col-last-upload = آخر إرسال
admin-col-last-contact = آخر اتصال
admin-col-people-inside = الأشخاص في الداخل
admin-col-passes = التصاريح
admin-col-inside-since = في الداخل منذ
admin-col-quarter = ربع الساعة (UTC)
admin-col-arrivals = القادمون
admin-col-most-inside = أكبر عدد في الداخل
admin-col-day = اليوم
admin-col-signins = مرات الدخول
admin-col-left-scanned = خرجوا (بالمسح)
admin-col-auto = خروج تلقائي
admin-col-no-exit = لا خروج معروف
admin-col-average = متوسط البقاء (بالمسح)
admin-col-when = متى
admin-col-who = من
admin-col-what = ماذا
admin-col-details = التفاصيل
admin-col-pass = التصريح
admin-col-first = أول مرة
admin-col-first-kiosk = الجهاز الأول
admin-col-again = مرة أخرى
admin-col-role = الدور
admin-col-status = الوضع
admin-col-signins-24h = الدخول في 24 ساعة
admin-col-newest = أحدث دخول
admin-total = المجموع
admin-the-day = اليوم كله

## How a stay ended
admin-left-exit = خروج ممسوح
admin-left-auto = تقدير: خروج تلقائي
admin-left-default = تقدير: لا خروج معروف، مدة افتراضية

## Times
admin-never = أبدًا
admin-ago-minutes = { $when } (قبل { $minutes } دقيقة)
admin-ago-hours = { $when } (قبل { $hours } ساعة و{ $minutes } دقيقة)
admin-minutes = { $minutes } دقيقة

## Errors
admin-error-query = استعلام غير صحيح.
admin-error-day = اكتب اليوم بالصيغة YYYY-MM-DD.
admin-error-dates = اكتب التواريخ بالصيغة YYYY-MM-DD.
admin-error-search-by = ابحث بالاسم أو الهاتف أو البريد الإلكتروني.
admin-error-nothing = لا يوجد ما يُبحث عنه.
admin-error-minutes = يجب أن تكون الدقائق عددًا من 0 إلى 1440.
admin-error-export = صدِّر what=day أو what=trace.
admin-error-kiosk-name = أعطِ الجهاز اسمًا من 1 إلى 100 حرف.
admin-error-no-kiosk = لا يوجد جهاز نشط بهذا الرقم.
admin-error-device-token = صفحات الإدارة تحتاج إلى تسجيل دخول مدير، لا إلى رمز جهاز.
admin-error-role = دورك ({ $role ->
        [viewer] { admin-role-viewer }
        [tracer] { admin-role-tracer }
       *[admin] { admin-role-admin }
    }) لا يفتح هذه الصفحة. اطلبها من مدير إن احتجت إليها.
admin-error-busy = الخادم مشغول. انتظر قليلًا ثم حاول مرة أخرى.
admin-error-logins = محاولات دخول كثيرة من هذا العنوان. انتظر دقيقة ثم حاول مرة أخرى.
admin-error-attempts = محاولات كثيرة من هذا العنوان. انتظر دقيقة ثم حاول مرة أخرى.
admin-error-hash = تعذّر حفظ كلمة المرور.
admin-error-link = تعذّر إنشاء الرابط.
admin-error-invalid = { $field ->
    [name] الاسم غير صالح.
    [email] البريد الإلكتروني غير صالح.
   *[role] الدور غير صالح.
}
admin-error-member-exists = يوجد عضو بهذا البريد الإلكتروني بالفعل.
admin-error-last-admin = هذا آخر مدير: اجعل عضوًا آخر مديرًا أولًا.
admin-error-no-member = لا يوجد عضو بهذا الرقم.

## Sign-ins of a day, finding a person, who was here
admin-day-title = الدخول في { $day }
admin-export-csv = تصدير CSV
admin-find-title = البحث عن شخص
admin-search-by = البحث حسب
admin-search-name = الاسم
admin-search-phone = الهاتف
admin-search-email = البريد الإلكتروني
admin-search-exactly = مطابق تمامًا
admin-search-from = من
admin-search-to = إلى
admin-search-submit = بحث
admin-find-count = { $count } مرة دخول.
admin-trace-title = من كان هنا
admin-trace-within = خلال دقائق
admin-trace-stay = مدة البقاء بالدقائق
admin-trace-note = تمتد الزيارة من الدخول إلى الخروج. حالات الخروج التي أغلقتها الأجهزة تلقائيًا، والزيارات التي لا خروج معروف لها (وتُحسب بمدة البقاء أعلاه)، تقديرات ومعلَّمة بذلك.
admin-trace-visits = الزيارات ({ $count })
admin-trace-others = آخرون كانوا هناك ({ $count })

## CSV files: the header line (keep the commas: one name per column)
admin-csv-signins = وقت_الدخول_utc,الجهاز,الاسم,الهاتف,البريد,وقت_الخروج_utc,الخروج,المدخل,الأشخاص
admin-csv-roll-call = المدخل,الاسم,الهاتف,في_الداخل_منذ_utc,الجهاز,الأشخاص

## Audit log and double uses
admin-audit-title = سجل المراجعة
admin-audit-server = (الخادم)
admin-double-title = الاستخدام المكرر
admin-double-intro = تصاريح قُبلت في جهازين (مثلًا كان كلاهما غير متصل في ذلك الوقت).

## Kiosks
admin-kiosks-title = الأجهزة
admin-kiosks-new = اسم الجهاز الجديد
admin-kiosks-enrol = تسجيل جهاز
admin-kiosks-key = المفتاح العام للمنظِّم
admin-kiosks-download = تنزيل
admin-kiosk-active = نشط
admin-kiosk-revoked = أُلغي في { $when }
admin-kiosk-revoked-short = ملغى
admin-kiosk-revoke = إلغاء
admin-enrolled-title = تم تسجيل الجهاز
admin-enrolled-intro = تم تسجيل الجهاز { $name }. امسح هذا الرمز من شاشة إدارة الجهاز، أو الصق النص. لا يُعرض إلا مرة واحدة.
admin-enrolled-image = رمز التسجيل
admin-enrolled-back = العودة إلى الأجهزة

## The door's pages
admin-kiosks-offline = الجهاز الذي لم يرسل منذ مدة قد يكون غير متصل: الأشخاص الذين أدخلهم أو أخرجهم منذ ذلك الحين ليسوا في هذه الأرقام بعد.
admin-inside-title = في الداخل الآن
admin-inside-as-of = حتى { $when } (تُحدَّث الصفحة كل { $seconds } ثانية).
admin-inside-as-of-still = حتى { $when }.
admin-inside-start = تحديث كل { $seconds } ثانية
admin-inside-stop = إيقاف التحديث
admin-csv = CSV
admin-roll-title = كشف الحضور
admin-roll-as-of = حتى { $when }: في الداخل { $people } شخصًا بـ { $passes } تصريح.
admin-roll-print = اطبع هذه الصفحة بأمر الطباعة في المتصفح.
admin-roll-nobody = لا أحد في الداخل.
admin-roll-entrance = { $entrance }: { $people } شخصًا
admin-roll-kiosks = آخر ما أرسلته الأجهزة
admin-glance-day = اليوم
admin-glance-show = عرض
admin-glance-title = { $day } في لمحة
admin-glance-intro = لكل مدخل: الأعمدة هي من دخلوا في كل ربع ساعة، والخط أكبر عدد في الداخل في وقت واحد. الأوقات بتوقيت UTC.
admin-glance-none = لا دخول في هذا اليوم.
admin-glance-chart = { $entrance }، { $day }: القادمون في كل ربع ساعة وأكبر عدد في الداخل في وقت واحد
admin-days-title = الدخول حسب اليوم
admin-days-intro = يُحتفظ بسجلات الدخول { $days } يومًا. الأيام بتوقيت UTC. تنتهي الزيارة بخروج ممسوح عند جهاز، أو بخروج تلقائي (تقدير).
admin-signins-title = الدخول

## The team
admin-team-title = الفريق
admin-team-roles = الأدوار: { $admin } (كل شيء)، { $tracer } (البحث والتتبع والتصدير وسجل المراجعة)، { $viewer } (الأعداد ومن في الداخل والفعاليات؛ دون بيانات الاتصال).
admin-member-disabled = معطَّل
admin-member-invited = مدعو
admin-member-active = نشط
admin-team-role-for = دور { $name }
admin-team-change = تغيير
admin-team-new-link = رابط جديد
admin-team-disable = تعطيل
admin-team-invite-title = دعوة عضو
admin-team-invite = دعوة
admin-team-invite-note = الدعوة رابط صالح لمدة 24 ساعة ولمرة واحدة: سلِّمه بنفسك (لا يُرسل بريد إلكتروني). الرابط الجديد يُلغي القديم، والتعطيل يُنهي كل الجلسات فورًا.
admin-team-link = رابط لـ { $name }، يُعرض مرة واحدة (24 ساعة، استخدام واحد):

## The status page
admin-status-title = الحالة
admin-status-server = الخادم
admin-status-version = الإصدار
admin-status-database = قاعدة البيانات
admin-status-answered = { $backend }، أجابت خلال { $ms } ملي ثانية
admin-status-signins = سجلات الدخول المحفوظة
admin-status-disk = القرص (مجلد البيانات)
admin-status-free = { $free } متاح من { $total }
admin-status-unknown = غير معروف ({ $error })
admin-status-retention-run = حذف البيانات القديمة، آخر تشغيل
admin-status-started = بدأ { $when }، { $end }
admin-status-finished = انتهى { $when }: حُذف { $detail }
admin-status-unfinished = لم ينتهِ
admin-status-retention = مدة الاحتفاظ
admin-status-days = { $days } يومًا
admin-status-kiosks = قائمة انتظار كل جهاز (الدخول المنتظر والمرفوض المحجوز) في لوحة إدارته؛ وهنا ما وصل إلى الخادم.

## Logging in and setting a password
admin-login-title = دخول المدير
admin-login-email = البريد الإلكتروني
admin-login-password = كلمة المرور
admin-login-submit = دخول
admin-login-recover = تعيين كلمة مرور برمز استرداد
admin-login-wrong = البريد الإلكتروني أو كلمة المرور غير صحيحة.
admin-recover-title = تعيين كلمة مرور
admin-recover-intro = أدخل الرمز الصالح لمرة واحدة (من الرابط الذي أعطاك إياه مدير، أو الذي طبعه { $command }) وكلمة مرور جديدة (لا تقل عن { $min } حرفًا).
admin-recover-code = رمز الاسترداد
admin-recover-new = كلمة المرور الجديدة
admin-recover-again = مرة أخرى
admin-recover-submit = حفظ كلمة المرور
admin-recover-short = كلمة المرور قصيرة جدًا.
admin-recover-long = كلمة المرور طويلة جدًا.
admin-recover-differ = كلمتا المرور مختلفتان.
admin-recover-wrong = رمز الاسترداد هذا خاطئ أو مستخدم أو منتهي الصلاحية.
