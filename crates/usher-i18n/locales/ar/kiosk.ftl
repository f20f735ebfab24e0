# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The kiosk's words: its built-in screens, status line, party prompt, PIN pad and panels.

kiosk-screen-ready = اعرض بطاقة الدخول أمام الكاميرا
kiosk-screen-qr_accepted =
    أهلاً وسهلاً { $name }
    تم تسجيل دخولك الساعة { $time }
kiosk-screen-qr_used =
    هذه البطاقة استُخدمت من قبل
    أول استخدام { $first_used } على { $first_device }
kiosk-screen-qr_expired =
    انتهت صلاحية هذه البطاقة
    { $expiry }
kiosk-screen-qr_not_authorized = هذه البطاقة غير صالحة هنا
kiosk-screen-qr_invalid = هذا الرمز ليس بطاقة صالحة
kiosk-screen-qr_missing_parameters = هذا الرمز ليس بطاقة دخول من Usher
kiosk-screen-qr_goodbye = مع السلامة { $name }
kiosk-screen-qr_full =
    المكان ممتلئ
    يرجى سؤال أحد المتطوعين
kiosk-screen-qr_too_early = الوقت مبكر لهذه الفعالية
    تفتح الأبواب الساعة { $opens }

kiosk-verdict-qr_accepted = مقبولة
kiosk-verdict-qr_used = مستخدمة من قبل
kiosk-verdict-qr_expired = منتهية الصلاحية
kiosk-verdict-qr_not_authorized = غير صالحة هنا
kiosk-verdict-qr_invalid = بطاقة غير صالحة
kiosk-verdict-qr_missing_parameters = ليست بطاقة
kiosk-verdict-qr_goodbye = خروج
kiosk-verdict-qr_full = ممتلئ
kiosk-verdict-qr_too_early = مبكر

kiosk-status-signed-in = الداخلون اليوم: { $count }
kiosk-status-inside = في الداخل: { $entrance } { $here }، المكان كله { $venue }
kiosk-status-venue-as-of = (أرقام المكان { $age })
kiosk-status-online = متصل
kiosk-status-offline = غير متصل
kiosk-status-sync = { $state }، بانتظار الرفع { $count }
kiosk-status-sync-uploaded = { $state }، بانتظار الرفع { $count }، آخر رفع { $time }
kiosk-age-now = الآن
kiosk-age-minutes = قبل { $minutes } دقيقة
kiosk-age-hours = قبل { $hours } ساعة و{ $minutes } دقيقة
kiosk-notice-demo = عرض تجريبي
kiosk-notice-demo-no-camera = عرض تجريبي: لا توجد كاميرا
kiosk-camera-lost = انقطعت الكاميرا ({ $camera }): جارٍ إعادة الاتصال…

kiosk-language-hint = اللغة
kiosk-admin-hint = الإدارة
kiosk-party-question = كم عددكم هنا؟
kiosk-party-default = دون إجابة: { $count }
kiosk-admit-anyway = أدخِلهم رغم ذلك

kiosk-pin-title = الرمز السري
kiosk-pin-enter = أدخل رمز المشرف
kiosk-pin-enter-volunteer = أدخل رمز المتطوع للإدخال فوق السعة
kiosk-pin-enter-any = أدخل رمز المشرف أو المتطوع
kiosk-pin-wrong = رمز خاطئ
kiosk-pin-locked = محاولات خاطئة كثيرة: انتظر { $seconds } ثانية
kiosk-pin-ok = موافق
kiosk-pin-cancel = إلغاء

kiosk-admin-title = الإدارة
kiosk-admin-device = معرّف الجهاز: { $id }
kiosk-admin-camera = الكاميرا المستخدمة: { $camera }
kiosk-admin-switch-camera = تبديل الكاميرا:
kiosk-admin-today = اليوم
kiosk-admin-today-count = { $verdict }: { $count }
kiosk-admin-last-scans = آخر عمليات المسح
kiosk-admin-waiting = بانتظار الرفع: { $count }
kiosk-admin-contact = بيانات الاتصال المنتظرة: { $protection }
kiosk-admin-contact-organiser = مختومة بمفتاح المنظِّم
kiosk-admin-contact-local = محفوظة بالمفتاح المحلي في { $file }
kiosk-admin-contact-memory = محفوظة بمفتاح في الذاكرة فقط
kiosk-admin-clock-behind = ساعة الجهاز متأخرة { $minutes } دقيقة عن ساعة الخادم
kiosk-admin-clock-ahead = ساعة الجهاز متقدمة { $minutes } دقيقة على ساعة الخادم
kiosk-admin-clock-floor = يُبقي الجهاز وقته متقدماً { $minutes } دقيقة على الأقل عن ساعة هذا الحاسوب (آخر وقت رآه)؛ إن كانت ساعة الحاسوب صحيحة فثِق بها
kiosk-admin-warning = تحذير: { $warning }
kiosk-admin-standalone = مستقل: لا يوجد خادم (تبقى التسجيلات على هذا الجهاز)
kiosk-admin-server-online = الخادم: متصل
kiosk-admin-server-offline = الخادم: غير متصل
kiosk-admin-last-upload = آخر رفع: { $time }
kiosk-admin-sync-problem = آخر مشكلة في المزامنة: { $problem }
kiosk-admin-clock = الساعة: { $warning }
kiosk-admin-refused = رفضها الخادم ({ $count })
kiosk-admin-double-uses = استخدام مزدوج ({ $count })
kiosk-admin-panics = أعطال القارئ التي عولجت: { $count }
kiosk-admin-use-camera = استخدام الكاميرا
kiosk-admin-reload = إعادة تحميل الشاشات
kiosk-admin-test-sound = تجربة الصوت
kiosk-admin-fullscreen = ملء الشاشة
kiosk-admin-leave-fullscreen = الخروج من ملء الشاشة
kiosk-admin-quit = إنهاء
kiosk-admin-close = إغلاق
kiosk-admin-trust-clock = الوثوق بساعة هذا الجهاز
kiosk-admin-volunteer = لوحة المتطوع

kiosk-volunteer-title = المتطوع
kiosk-volunteer-roll-call = قائمة الحضور
kiosk-volunteer-admit = الإدخال فوق السعة
kiosk-volunteer-back = رجوع
kiosk-volunteer-close = إغلاق
kiosk-roll-call-title = قائمة الحضور
kiosk-roll-call-heading = في الداخل عند { $entrance }: { $count }
kiosk-roll-call-no-name = (بدون اسم)
kiosk-roll-call-total = في الداخل { $people } ببطاقات عددها { $passes }
