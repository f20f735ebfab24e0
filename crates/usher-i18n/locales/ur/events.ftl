# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# تقریبات اور بکنگ (DESIGN §9).

## مہمان کا فارم اور بکنگ کا صفحہ
events-open-title = بکنگ کے لیے کھلی تقریبات
events-when = { $starts } سے { $ends } تک
events-places-left = { $left ->
    [0] { $entrance }: بھر گیا
   *[other] { $entrance }: { $left } جگہیں باقی
}
events-book-link = جگہیں بک کریں
events-book-title = جگہیں بک کریں: { $event }
events-field-name = نام
events-field-phone = فون
events-field-email = ای میل
events-field-party = کتنی جگہیں (آپ اور آپ کا خاندان)
events-field-entrance = داخلہ
events-consent = میں اتفاق کرتا ہوں کہ { $venue } میرا نام، فون اور ای میل اس بکنگ کے ساتھ تقریب ختم ہونے تک، اور میرے آنے کے اوقات کے ساتھ { $days } دن تک، ضرورت پڑنے پر مجھ سے رابطے کے لیے رکھے۔
events-book-button = میری جگہیں بک کریں
events-not-open = یہ تقریب بکنگ نہیں لے رہی۔
events-too-many = اس پتے سے بہت زیادہ بکنگ ہوئی۔ ایک منٹ انتظار کر کے دوبارہ کوشش کریں۔
events-error-entrance = براہ کرم اس تقریب کا کوئی داخلہ چنیں۔
events-error-too-long = نام پاس میں سمانے کے لیے بہت لمبا ہے۔ براہ کرم اسے چھوٹا کریں۔
events-doors-open = دروازے { $time } پر کھلیں گے۔
events-booked = { $entrance } داخلے پر { $places } جگہیں۔ آپ کی بکنگ: { $reservation }۔
events-full-title = تقریب بھر گئی ہے
events-full = { $left ->
    [0] معذرت، تقریب بھر گئی ہے: { $entrance } داخلے پر کوئی جگہ باقی نہیں۔
   *[other] معذرت، اتنے افراد کے لیے تقریب بھر گئی ہے: { $entrance } داخلے پر { $left } جگہیں باقی ہیں۔
}

## منتظم کے صفحات
events-admin-title = تقریبات
events-none = ابھی کوئی تقریب نہیں۔
events-new = نئی تقریب
events-edit = اس تقریب میں تبدیلی کریں
events-create = تقریب بنائیں
events-save = تبدیلیاں محفوظ کریں
events-close = بکنگ بند کریں
events-csv = بکنگز (CSV)
events-no-such = ایسی کوئی تقریب نہیں۔
events-times-utc = اوقات UTC میں ہیں۔ اگر آپ مقرر نہ کریں تو بکنگ ابھی کھلے گی اور تقریب کے اختتام پر بند ہوگی۔
events-label-name = نام
events-label-starts = آغاز
events-label-ends = اختتام
events-label-opens = بکنگ کا آغاز
events-label-closes = بکنگ کا اختتام
events-label-largest = سب سے بڑا گروپ
events-label-grace = دروازے آغاز سے اتنے منٹ پہلے کھلیں گے
events-label-entrances = داخلے، ہر سطر میں ایک: نام اور جگہیں (brothers 100)
events-error-field = براہ کرم خانہ «{ $field }» دیکھیں۔
events-error-order = «{ $field }» اپنے سے پہلے والے وقت کے بعد ہونا چاہیے۔
events-status-open = بکنگ کے لیے کھلی
events-status-not-yet = بکنگ ابھی نہیں کھلی
events-status-booking-over = بکنگ بند
events-status-closed = منتظم نے بند کی
events-status-over = ختم
events-col-event = تقریب
events-col-when = کب
events-col-booked = بک شدہ
events-col-status = حالت
events-col-entrance = داخلہ
events-col-places = جگہیں
events-col-left = باقی
events-col-arrived = پہنچے
events-col-elsewhere = ان میں سے دوسرے داخلے کے لیے بک شدہ
events-total = کل
events-parties = { $count } بکنگز
events-as-of = { $time } تک (صفحہ ہر { $seconds } سیکنڈ بعد تازہ ہوتا ہے)۔
