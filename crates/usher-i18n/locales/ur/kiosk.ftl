# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The kiosk's words: its built-in screens, status line, party prompt, PIN pad and panels.

kiosk-screen-ready = اپنا پاس کیمرے کے سامنے دکھائیں
kiosk-screen-qr_accepted =
    خوش آمدید { $name }
    آپ کا اندراج { $time } بجے ہو گیا
kiosk-screen-qr_used =
    یہ پاس پہلے استعمال ہو چکا ہے
    پہلی بار { $first_used } کو { $first_device } پر
kiosk-screen-qr_expired =
    اس پاس کی مدت ختم ہو چکی ہے
    { $expiry }
kiosk-screen-qr_not_authorized = یہ پاس یہاں درست نہیں ہے
kiosk-screen-qr_invalid = یہ کوڈ درست پاس نہیں ہے
kiosk-screen-qr_missing_parameters = یہ کوڈ Usher کا پاس نہیں ہے
kiosk-screen-qr_goodbye = اللہ حافظ { $name }
kiosk-screen-qr_full =
    جگہ بھر گئی ہے
    براہ کرم کسی رضاکار سے بات کریں
kiosk-screen-qr_too_early = اس تقریب کے لیے ابھی جلدی ہے
    دروازے { $opens } پر کھلیں گے

kiosk-verdict-qr_accepted = قبول
kiosk-verdict-qr_used = پہلے استعمال شدہ
kiosk-verdict-qr_expired = مدت ختم
kiosk-verdict-qr_not_authorized = یہاں درست نہیں
kiosk-verdict-qr_invalid = غلط پاس
kiosk-verdict-qr_missing_parameters = پاس نہیں
kiosk-verdict-qr_goodbye = رخصت
kiosk-verdict-qr_full = بھرا ہوا
kiosk-verdict-qr_too_early = وقت سے پہلے

kiosk-status-signed-in = آج کے اندراج: { $count }
kiosk-status-inside = اندر: { $entrance } { $here }، پوری جگہ { $venue }
kiosk-status-venue-as-of = (جگہ کے اعداد { $age })
kiosk-status-online = آن لائن
kiosk-status-offline = آف لائن
kiosk-status-sync = { $state }، منتظر { $count }
kiosk-status-sync-uploaded = { $state }، منتظر { $count }، آخری اپ لوڈ { $time }
kiosk-age-now = ابھی
kiosk-age-minutes = { $minutes } منٹ پہلے
kiosk-age-hours = { $hours } گھنٹے { $minutes } منٹ پہلے
kiosk-notice-demo = ڈیمو فیڈ
kiosk-notice-demo-no-camera = ڈیمو فیڈ: کوئی کیمرا نہیں ملا
kiosk-camera-lost = کیمرا منقطع ({ $camera }): دوبارہ جوڑا جا رہا ہے…

kiosk-language-hint = زبان
kiosk-admin-hint = انتظامیہ
kiosk-party-question = آپ کتنے لوگ ہیں؟
kiosk-party-default = جواب نہ ملا تو: { $count }
kiosk-admit-anyway = پھر بھی داخل کریں

kiosk-pin-title = پن
kiosk-pin-enter = ایڈمن پن درج کریں
kiosk-pin-enter-volunteer = گنجائش سے زیادہ داخلے کے لیے رضاکار پن درج کریں
kiosk-pin-enter-any = ایڈمن یا رضاکار پن درج کریں
kiosk-pin-wrong = غلط پن
kiosk-pin-locked = بہت زیادہ غلط پن: { $seconds } سیکنڈ انتظار کریں
kiosk-pin-ok = ٹھیک ہے
kiosk-pin-cancel = منسوخ

kiosk-admin-title = انتظامیہ
kiosk-admin-device = آلے کی شناخت: { $id }
kiosk-admin-camera = زیر استعمال کیمرا: { $camera }
kiosk-admin-switch-camera = کیمرا بدلیں:
kiosk-admin-today = آج
kiosk-admin-today-count = { $verdict }: { $count }
kiosk-admin-last-scans = آخری اسکین
kiosk-admin-waiting = اپ لوڈ کے منتظر: { $count }
kiosk-admin-contact = منتظر رابطے کی تفصیلات: { $protection }
kiosk-admin-contact-organiser = منتظم کی کلید سے مہر بند
kiosk-admin-contact-local = مقامی کلید کے تحت محفوظ، { $file } میں
kiosk-admin-contact-memory = صرف میموری میں رکھی کلید کے تحت محفوظ
kiosk-admin-clock-behind = کیوسک کی گھڑی سرور سے { $minutes } منٹ پیچھے ہے
kiosk-admin-clock-ahead = کیوسک کی گھڑی سرور سے { $minutes } منٹ آگے ہے
kiosk-admin-clock-floor = کیوسک اپنا وقت اس کمپیوٹر کی گھڑی سے کم از کم { $minutes } منٹ آگے رکھتا ہے (آخری دیکھا گیا وقت)؛ اگر اس کمپیوٹر کی گھڑی درست ہے تو اس پر بھروسا کریں
kiosk-admin-warning = انتباہ: { $warning }
kiosk-admin-standalone = اکیلا: کوئی سرور نہیں (اندراجات اسی کیوسک پر رہتے ہیں)
kiosk-admin-server-online = سرور: آن لائن
kiosk-admin-server-offline = سرور: آف لائن
kiosk-admin-last-upload = آخری اپ لوڈ: { $time }
kiosk-admin-sync-problem = ہم آہنگی کا آخری مسئلہ: { $problem }
kiosk-admin-clock = گھڑی: { $warning }
kiosk-admin-refused = سرور نے رد کیے ({ $count })
kiosk-admin-double-uses = دوہرا استعمال ({ $count })
kiosk-admin-panics = سنبھالی گئی ڈیکوڈر خرابیاں: { $count }
kiosk-admin-use-camera = کیمرا استعمال کریں
kiosk-admin-reload = اسکرینیں دوبارہ لوڈ کریں
kiosk-admin-test-sound = آواز آزمائیں
kiosk-admin-fullscreen = پوری اسکرین
kiosk-admin-leave-fullscreen = پوری اسکرین سے باہر
kiosk-admin-quit = ختم کریں
kiosk-admin-close = بند کریں
kiosk-admin-trust-clock = اس کمپیوٹر کی گھڑی پر بھروسا کریں
kiosk-admin-volunteer = رضاکار پینل

kiosk-volunteer-title = رضاکار
kiosk-volunteer-roll-call = حاضری
kiosk-volunteer-admit = گنجائش سے زیادہ داخل کریں
kiosk-volunteer-back = واپس
kiosk-volunteer-close = بند کریں
kiosk-roll-call-title = حاضری
kiosk-roll-call-heading = اندر، { $entrance }: { $count }
kiosk-roll-call-no-name = (نام نہیں)
kiosk-roll-call-total = اندر { $people }، پاس { $passes }
